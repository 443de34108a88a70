// Jobs accepted but not yet handed to a worker, in the order they should run.
//
// Order: earliest "deadline" first, where a job's deadline is its arrival
// time plus its estimated cost. Cheap jobs overtake expensive ones that came
// shortly before them, yet every job's deadline is fixed when it arrives, so
// an expensive job is overtaken only by jobs that arrive before its deadline:
// no starvation (ageing is built in). Ties keep arrival order.
//
// Not thread-safe: owned by the supervisor's event loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <queue>
#include <vector>

namespace fibpool::supervisor {

class Backlog {
 public:
  // `deadline` in any monotonic unit, typically arrival_ns + cost_ns.
  void Push(std::uint64_t job_id, std::uint64_t deadline);
  std::optional<std::uint64_t> Pop();
  std::size_t size() const { return heap_.size(); }
  bool empty() const { return heap_.empty(); }

 private:
  struct Entry {
    std::uint64_t deadline;
    std::uint64_t seq;
    std::uint64_t job_id;
    bool operator>(const Entry& o) const {
      return deadline != o.deadline ? deadline > o.deadline : seq > o.seq;
    }
  };
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace fibpool::supervisor
