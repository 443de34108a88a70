// The worker process's main loop: take a job (or a batch of consecutive cheap
// ones) from the shared queue, run them, send their results on the pipe to
// the supervisor in one write, repeat. Each result carries what its job cost
// (ipc::ResultMessage: CPU time, and the worker's peak resident size after it;
// job_cost_share.h).
//
// Returns (as the exit status) one of ipc::WorkerExit: 0 when it takes a
// sentinel; kExitRecycle after max_jobs jobs or when a job left its memory
// above max_rss_bytes (checked between jobs, never during one); non-zero
// otherwise when its pipe to the supervisor breaks, when the supervisor is
// gone (its parent pid changed), when the queue cannot be attached, or
// kExitQueueBroken when the queue's lock fails for good (os/robust_mutex.h);
// kExitOutOfMemory after GMP ran out of memory and the job was answered
// (gmp_memory.h). A worker holds no socket; its only channels are the queue
// segment and the result pipe.
#pragma once

#include "ipc/worker_args.h"
#include "worker/job_runner.h"

namespace fibpool::worker {

// The job limits the command line sets.
RunnerLimits RunnerLimitsFrom(const ipc::WorkerArgs& args);

// max_jobs: exit kExitRecycle after this many jobs (0: never); max_memory_mb:
// exit kExitRecycle after a job leaves the resident size above it, and fail a
// fast job estimated to need more up front (0: no limit). Installs GMP's
// memory functions (gmp_memory.h) before the first job.
int RunWorker(const ipc::WorkerArgs& options);

}  // namespace fibpool::worker
