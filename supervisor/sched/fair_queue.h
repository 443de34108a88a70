// Jobs accepted but not yet handed to a worker, shared fairly between flows.
//
// A flow is one client address (flow_key.h): every connection from the same
// address is one flow, so more connections buy no more share. Within a flow
// jobs keep the Backlog's order (earliest deadline first, ageing built in).
// Across flows, start-time fair queuing by estimated cost (docs/scheduling.md):
// each flow has a tag, the virtual time at which its next job starts; the job
// to run next comes from the flow with the smallest tag, and running a job
// advances its flow's tag by the job's estimated cost. A flow that has been
// idle starts at the current virtual time (the tag of the last job started),
// so it is served next without a credit for the time it was away.
//
// Memory: a flow is known while it has a job waiting or running (taken and
// not yet Finished()); then it is forgotten, so the table never holds more
// flows than there are jobs. When no flow is left the virtual time restarts
// at 0.
//
// Usage: Peek() the next job, then Take() it (it runs; its flow is charged)
// or Discard() it (abandoned; no charge). Every Take() is matched by one
// Finished() of the same flow when that job ends or goes back to Push().
// A Head is valid until the next call that changes the queue.
//
// Pure: no I/O. Not thread-safe: owned by the supervisor's event loop.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "supervisor/sched/backlog.h"

namespace fibpool::supervisor {

// A flow's waiting jobs, for `stats` and /metrics.
struct FlowDepth {
  std::string flow;
  std::size_t queued;

  bool operator==(const FlowDepth&) const = default;
};

// Estimated work of waiting jobs, by size, in nanoseconds of one core.
struct WorkAhead {
  std::uint64_t cheap_ns = 0;
  std::uint64_t big_ns = 0;

  bool operator==(const WorkAhead&) const = default;
};

class FairQueue {
 private:
  struct Flow;

 public:
  struct Head {
    std::uint64_t job_id;
    JobSize size;
    Flow* flow;  // where it waits: for FairQueue's own use
  };

  // `deadline` as for Backlog::Push.
  void Push(const std::string& flow, std::uint64_t job_id, std::uint64_t deadline, JobSize size);
  // The next job among the allowed sizes: the earliest-deadline one of the
  // flow with the smallest tag among the flows that have one.
  std::optional<Head> Peek(bool cheap_allowed = true, bool big_allowed = true) const;
  // Removes the peeked job, which now runs: its flow's tag advances by `cost_ns`.
  void Take(const Head& head, std::uint64_t cost_ns);
  // Removes the peeked job without charging its flow (nobody waits for it).
  void Discard(const Head& head);
  // A job taken from `flow` has ended (answered, or pushed back).
  void Finished(const std::string& flow);
  // Removes the waiting job of `flow` that its flow would run last (no
  // charge), to make room (backlog_admission.h); its id, if it had one.
  std::optional<std::uint64_t> RemoveLast(const std::string& flow);
  // Waiting jobs of `flow`.
  std::size_t Waiting(const std::string& flow) const;

  // The waiting jobs that would start before a job of `flow` with `deadline`
  // pushed now, served with every size allowed: the flow's own jobs with a
  // deadline not after it (Backlog order), and each other flow's jobs whose
  // virtual start comes before the new job's (ties: the older flow first).
  // `cost_of(job_id)` is a waiting job's estimated cost (0 for one nobody
  // waits for any more: it will be discarded, not run). O(flows + jobs ahead).
  WorkAhead CostAhead(const std::string& flow, std::uint64_t deadline,
                      const std::function<std::uint64_t(std::uint64_t)>& cost_of) const;

  // Waiting jobs; like a Backlog's, a job abandoned while waiting counts until
  // Peek() reaches it and the caller Discard()s it.
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Flows known (waiting or running jobs).
  std::size_t flows() const { return flows_.size(); }
  // The `limit` flows with the most waiting jobs, most first; ties by name.
  std::vector<FlowDepth> TopFlows(std::size_t limit) const;

 private:
  struct Flow {
    const std::string* key = nullptr;  // the map's key
    Backlog queued;
    std::uint64_t tag = 0;    // virtual start of its next job
    std::uint64_t order = 0;  // creation order: ties between equal tags
    std::size_t running = 0;  // taken and not yet finished
  };
  struct Rank {
    std::uint64_t tag;
    std::uint64_t order;
    Flow* flow;
    bool operator<(const Rank& o) const { return tag != o.tag ? tag < o.tag : order < o.order; }
  };
  static std::size_t Index(JobSize size) { return size == JobSize::kCheap ? 0 : 1; }
  // Out of, and back into, the ranks of the sizes it has waiting jobs of:
  // around every change of its tag or of its jobs.
  void Unlist(Flow& flow);
  void List(Flow& flow);
  // Removes the head's job from its flow; forgets the flow when it is idle.
  void Remove(const Head& head);
  void ForgetIfIdle(Flow& flow);

  std::unordered_map<std::string, Flow> flows_;
  std::array<std::set<Rank>, 2> ranks_;  // flows with a waiting cheap / big job
  std::uint64_t virtual_time_ = 0;       // the tag of the last job started
  std::uint64_t next_order_ = 0;
  std::size_t size_ = 0;
};

}  // namespace fibpool::supervisor
