// One client's jobs accepted but not yet handed to a worker, in the order they
// should run (FairQueue, fair_queue.h, keeps one per client and chooses between
// them).
//
// Order: earliest "deadline" first, where a job's deadline is its arrival
// time plus its estimated cost. Cheap jobs overtake expensive ones that came
// shortly before them, yet every job's deadline is fixed when it arrives, so
// an expensive job is overtaken only by jobs that arrive before its deadline:
// no starvation (ageing is built in). Ties keep arrival order.
//
// Jobs are kept in two classes, cheap and big, so that the pool can take the
// earliest cheap job when only a cheap one may run (the reserve lane).
//
// Not thread-safe: owned by the supervisor's event loop.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>

#include "supervisor/sched/cost_model.h"

namespace fibpool::supervisor {

class Backlog {
 public:
  // `deadline` in any monotonic unit, typically arrival_ns + cost_ns.
  void Push(std::uint64_t job_id, std::uint64_t deadline, JobSize size);
  struct Top {
    std::uint64_t job_id;
    JobSize size;
  };
  // The earliest-deadline job among the allowed sizes, left in place.
  std::optional<Top> Peek(bool cheap_allowed = true, bool big_allowed = true) const;
  // Removes and returns the earliest-deadline job among the allowed sizes.
  std::optional<std::uint64_t> Pop(bool cheap_allowed = true, bool big_allowed = true);
  // Removes and returns the job Pop() would return last (latest deadline).
  std::optional<std::uint64_t> PopLast();
  // Whether a job of that size waits.
  bool Has(JobSize size) const { return !queued_[Index(size)].empty(); }
  std::size_t size() const { return queued_[0].size() + queued_[1].size(); }
  bool empty() const { return size() == 0; }

  struct Waiting {
    std::uint64_t job_id;
    std::uint64_t deadline;
    JobSize size;
  };
  // Calls `visit(const Waiting&)` for the waiting jobs in the order Pop()
  // with both sizes allowed would return them, until it returns false.
  template <class Visit>
  void Walk(Visit&& visit) const;

 private:
  struct Entry {
    std::uint64_t deadline;
    std::uint64_t seq;
    std::uint64_t job_id;
    bool operator<(const Entry& o) const {
      return deadline != o.deadline ? deadline < o.deadline : seq < o.seq;
    }
  };
  static std::size_t Index(JobSize size) { return size == JobSize::kCheap ? 0 : 1; }

  std::array<std::set<Entry>, 2> queued_;  // cheap, big: each in serving order
  std::uint64_t next_seq_ = 0;
};

template <class Visit>
void Backlog::Walk(Visit&& visit) const {
  auto cheap = queued_[0].begin();
  auto big = queued_[1].begin();
  for (;;) {
    const bool has_cheap = cheap != queued_[0].end();
    const bool has_big = big != queued_[1].end();
    if (!has_cheap && !has_big) return;
    const bool take_big = has_big && (!has_cheap || *big < *cheap);
    const Entry& e = take_big ? *big++ : *cheap++;
    if (!visit(Waiting{e.job_id, e.deadline, take_big ? JobSize::kBig : JobSize::kCheap})) return;
  }
}

}  // namespace fibpool::supervisor
