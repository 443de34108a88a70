// Turns one compute job into the ResultMessage that answers it. Small results
// travel inline; larger ones are written straight into a result buffer in
// shared memory (ipc/result_buffer.h) when the job allows it
// (Job::may_use_buffer) and the buffer can be made; otherwise their digits
// travel inline as well (the worker loop splits them into ResultPart frames).
//
// Failure behaviour: never throws. An out-of-range n or a failed C++
// allocation becomes a non-kOk ResultMessage; a full /dev/shm does not. GMP
// running out of memory is the process's GMP memory functions' business
// (worker/gmp_memory.h).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "ipc/defaults.h"
#include "ipc/job.h"
#include "ipc/messages.h"
#include "os/shared_segment.h"

namespace fibpool::worker {

struct RunnerLimits {
  std::uint64_t max_fast_n = ipc::kDefaultMaxN;
  // Results of more digits than this go into a result buffer, if allowed.
  std::size_t inline_limit = ipc::kInlineResultLimit;
  // A fast job whose estimated memory exceeds this fails up front (0: no limit).
  std::uint64_t max_memory_bytes = 0;
};

// Peak memory a fast F(n) takes in a worker: GMP's operands and scratch, and
// the decimal digits. Deliberately generous.
std::uint64_t EstimatedFastMemoryBytes(std::uint64_t n);

struct JobOutcome {
  ipc::ResultMessage message;
  // Holds the result buffer until the message naming it is sent; the caller
  // Disown()s and unmaps it before sending (otherwise it unlinks itself).
  os::SharedSegment buffer;
};

// A result buffer, if one is needed, is named for `supervisor`, the job and
// this process (ipc::ResultSegmentName): the one name the supervisor takes
// from this worker for that job.
JobOutcome RunJob(const ipc::Job& job, const RunnerLimits& limits, pid_t supervisor);

}  // namespace fibpool::worker
