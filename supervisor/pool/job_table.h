// The pool's jobs from Submit() to their answer: where each is (waiting in
// the backlog or pushed to a lane), its estimated cost, and the rule for a
// job whose worker died.
//
// Retry rule: a job whose worker died running it is retried once; a second
// death answers ERR worker_crashed. A job its worker had taken in the same
// batch but not started goes back to the backlog without counting an attempt
// (it was not its fault). A timeout is not retried. A job nobody waits for
// any more is dropped.
//
// Pure bookkeeping: no I/O, no processes. Not thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "ipc/job.h"
#include "supervisor/job_executor.h"
#include "supervisor/pool/worker_exit.h"
#include "supervisor/sched/backlog.h"
#include "supervisor/sched/cost_model.h"
#include "supervisor/sched/job_spec.h"
#include "supervisor/sched/result_lease.h"

namespace fibpool::supervisor {

struct PendingJob {
  // kWaitingForShm: out of the backlog (its flow charged), first in line for
  // shared memory for its result (result_budget.h).
  enum class State { kBacklog, kWaitingForShm, kQueued };
  JobSpec spec;
  std::string flow;      // its client (fair_queue.h)
  JobCallback callback;  // empty once abandoned
  std::uint64_t submitted_ns;
  std::uint64_t deadline;  // the backlog's order: submitted_ns + cost_ns
  std::uint64_t cost_ns;   // estimated on this machine (spec's, corrected at admission)
  JobSize size;
  State state = State::kBacklog;
  std::size_t lane = 0;  // while kQueued
  int attempts = 0;      // times a worker died running it
  // What its result buffer would take in /dev/shm (0: the answer travels
  // inline), and, while kQueued, its share of the budget (result_lease.h).
  std::uint64_t buffer_bytes = 0;
  ResultLease lease{};

  bool big() const { return size == JobSize::kBig; }
};

// The log fields that name `job` (nullptr: none): "client=192.0.2.7
// algorithm=fast n=30", or "client=none algorithm=none n=none".
std::string JobLogFields(const PendingJob* job);

// What to do with a job a dead worker had claimed.
enum class LostJob {
  kRequeue,       // back to the backlog, no attempt counted
  kDrop,          // abandoned: resolve it without an answer
  kTimeout,       // answer ERR timeout
  kCrashedTwice,  // answer ERR worker_crashed
  kRetry,         // back to the backlog, an attempt counted
};

// Decides, and counts the attempt in `job` when its worker died running it.
// `was_running`: the job the worker was running, not a batch-mate; `killed`:
// why the pool killed the worker, if it did.
LostJob OnWorkerLost(PendingJob& job, bool was_running, KillCause killed);

// A running job that nobody waits for is stopped once it has run this long.
inline constexpr std::chrono::milliseconds kCancelAfter{200};

// Whether a job that has run for `ran` must be stopped (its worker killed):
// past job_timeout, or abandoned and past kCancelAfter.
enum class Overrun { kNone, kTimeout, kCancel };
Overrun CheckRunning(const PendingJob& job, std::chrono::nanoseconds ran,
                     std::chrono::milliseconds job_timeout);

// The answer for kDrop (none: nobody waits), kTimeout and kCrashedTwice.
JobResult LostJobAnswer(LostJob action, std::chrono::milliseconds job_timeout);

// The most one job adds to JobTable::pending_cost_ns(): a sum of a million
// jobs (max_backlog's largest value) stays far from overflowing, and a job of
// more than an hour already says the pool is full.
inline constexpr std::uint64_t kPendingCostCapNs = 3'600'000'000'000;

class JobTable {
 public:
  // A new job in state kBacklog estimated to cost `cost_ns` on this machine
  // (the spec's estimate as corrected at admission); returns its id (never 0).
  std::uint64_t Add(const JobSpec& spec, std::uint64_t cost_ns, std::string flow,
                    JobCallback callback, std::uint64_t now_ns);
  // nullptr when the job is unknown (answered or abandoned before it ran).
  PendingJob* Find(std::uint64_t id);
  const PendingJob* Find(std::uint64_t id) const;
  void Erase(std::uint64_t id);
  std::size_t size() const { return jobs_.size(); }
  // The estimated cost of the jobs in the table (waiting or pushed to a lane),
  // each counted up to kPendingCostCapNs.
  std::uint64_t pending_cost_ns() const { return pending_cost_ns_; }
  bool empty() const { return jobs_.empty(); }

 private:
  std::unordered_map<std::uint64_t, PendingJob> jobs_;
  std::uint64_t next_id_ = 1;
  std::uint64_t pending_cost_ns_ = 0;
};

}  // namespace fibpool::supervisor
