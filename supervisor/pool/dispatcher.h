// Moves waiting jobs from the backlog into the lanes' queues as the dispatch
// policy (dispatch_policy.h) admits them, in the fair queue's order, and wakes
// as many workers of each lane as the pushed jobs need takes. A job whose
// result needs a buffer in /dev/shm goes only when the result budget
// (result_budget.h) grants one or sends it through the pipe; until then it
// waits out of the backlog, first in line for shared memory, and jobs that
// need no buffer pass it.
//
// No processes: it works on the lanes' queues in shared memory and on the
// job table, so unit tests reach it with real lanes and no workers. Not
// thread-safe: the supervisor's event loop.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "supervisor/pool/job_table.h"
#include "supervisor/pool/lane.h"
#include "supervisor/sched/fair_queue.h"
#include "supervisor/sched/result_lease.h"

namespace fibpool::supervisor {

// How the dispatcher routes large results: the pool's budget (shared with
// the leases it hands out) and the bytes free in /dev/shm now, asked at most
// once per DispatchWaiting() and only when a job needs a buffer.
struct ResultRouting {
  std::shared_ptr<ResultLease::Owner> results;
  std::function<std::uint64_t()> shm_free;
};

// Jobs no longer in `jobs` (abandoned while waiting) are skipped. A job that
// does not fit its lane's queue stays where it waits. Pushed jobs become
// PendingJob::State::kQueued with their lane (0 for `main`, 1 for `reserve`)
// and, when their result is large, a lease of the budget; jobs that wait for
// shared memory become kWaitingForShm.
void DispatchWaiting(FairQueue& backlog, JobTable& jobs, Lane& main, Lane& reserve,
                     const ResultRouting& routing);

}  // namespace fibpool::supervisor
