// Whether the pool takes a job, decided before the job joins the backlog, so
// that a client hears at once what waiting would only tell it later. Pure.
//
// Cost: a job whose estimated cost alone (cost_model.h, scaled to this
// machine by cost_correction.h) exceeds job_timeout would hold a worker until
// the timeout killed it, and then fail; it is refused with ERR out_of_range
// naming the estimate and the limit.
//
// Wait: a job whose estimated wait for a worker exceeds max_wait is refused
// with `ERR busy retry_after=S`, S its estimated start in whole seconds
// (rounded up, at least 1). The wait is the work that would start before it
// shared by the workers that can run it. Big jobs (kBigJobNanos) run only on
// the main lane's workers; cheap ones on the reserve lane's too, which never
// run big ones. So, in a fluid model where B is the main lane's unfinished
// work plus the big jobs waiting ahead, C the reserve lane's unfinished work
// plus the cheap jobs waiting ahead, m and r the two lanes' workers:
//   a big job starts after   max(B / m, (B + C) / (m + r))
//     (the main workers run B, and the part of C the reserve ones leave);
//   a cheap job starts after min(C / r, (B + C) / (m + r))
//     (the reserve workers reach it alone, or every worker together), and
//     after (B + C) / m without reserve workers.
// Every job's cost is estimated as above: the cost model's, scaled to this
// machine.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "ipc/job.h"
#include "supervisor/protocol/refusal.h"
#include "supervisor/sched/backlog.h"
#include "supervisor/sched/fair_queue.h"

namespace fibpool::supervisor {

// std::nullopt: the job may run within job_timeout.
std::optional<Refusal> CheckCost(ipc::Algorithm algorithm, std::chrono::nanoseconds estimate,
                                 std::chrono::milliseconds job_timeout);

// What a new job would wait for, all estimates in nanoseconds of one core.
struct WorkBefore {
  JobSize size = JobSize::kCheap;     // the new job's
  WorkAhead waiting;                  // backlog jobs that start before it (FairQueue::CostAhead)
  std::uint64_t main_lane_ns = 0;     // pushed to the main lane and not finished
  std::uint64_t reserve_lane_ns = 0;  // the same, reserve lane
  unsigned main_workers = 1;          // 0 counts as 1
  unsigned reserve_workers = 0;
};

// When the new job would start, from now.
std::chrono::nanoseconds EstimatedWait(const WorkBefore& work);

// std::nullopt: the job may join the backlog (its estimated wait is at most
// max_wait, or max_wait is 0: off). Otherwise ERR busy with the detail
// "retry_after=S".
std::optional<Refusal> CheckWait(const WorkBefore& work, std::chrono::milliseconds max_wait);

}  // namespace fibpool::supervisor
