// Moves waiting jobs from the backlog into the lanes' queues as the dispatch
// policy (dispatch_policy.h) admits them, in the fair queue's order, and wakes
// as many workers of each lane as the pushed jobs need takes.
//
// No processes: it works on the lanes' queues in shared memory and on the
// job table, so unit tests reach it with real lanes and no workers. Not
// thread-safe: the supervisor's event loop.
#pragma once

#include "supervisor/fair_queue.h"
#include "supervisor/job_table.h"
#include "supervisor/lane.h"

namespace fibpool::supervisor {

// Jobs no longer in `jobs` (abandoned while waiting) are skipped. A job that
// does not fit its lane's queue stays in the backlog. Pushed jobs become
// PendingJob::State::kQueued with their lane: 0 for `main`, 1 for `reserve`.
void DispatchWaiting(FairQueue& backlog, JobTable& jobs, Lane& main, Lane& reserve);

}  // namespace fibpool::supervisor
