// The worker process's main loop: take a job (or a batch of consecutive cheap
// ones) from the shared queue, run them, send their results on the pipe to
// the supervisor in one write, repeat.
//
// Returns (as the exit status) one of ipc::WorkerExit: 0 when it takes a
// sentinel; kExitRecycle after max_jobs jobs or when a job left its memory
// above max_rss_bytes (checked between jobs, never during one); non-zero
// otherwise when its pipe to the supervisor breaks, when the supervisor is
// gone (its parent pid changed), or when the queue cannot be attached. A worker holds no socket;
// its only channels are the queue segment and the result pipe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "worker/job_runner.h"

namespace fibpool::worker {

struct WorkerOptions {
  std::string segment;       // the job queue's segment name
  std::uint32_t cell = 0;    // this worker's cell in the queue
  pid_t supervisor_pid = 0;  // exit when the parent is no longer this pid
  int result_fd = 3;         // write end of the result pipe
  RunnerLimits limits;
  std::chrono::microseconds spin{50};  // busy-wait before sleeping on the queue
  std::uint64_t max_jobs = 0;          // exit kExitRecycle after this many jobs (0: never)
  std::uint64_t max_rss_bytes = 0;     // exit kExitRecycle after a job leaves RSS above this
  int nice = 0;                        // raise this process's nice value to at least this
  std::chrono::microseconds slice{0};  // its scheduler time slice (0: the kernel's default)
};

int RunWorker(const WorkerOptions& options);

}  // namespace fibpool::worker
