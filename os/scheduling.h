// How fibpool's processes ask the kernel for CPU time: the supervisor and the
// reserve lane must run the moment they wake up, even when big jobs hold
// every CPU; the main lane's workers yield to them.
//
// Failure behaviour: best effort. A call the kernel refuses returns its errno
// as an error code (os/posix_error.h); the process then runs with what it
// had, which is correct, only slower to react under load.
#pragma once

#include <chrono>

#include "os/posix_error.h"

namespace fibpool::os {

// The time slice the latency-critical processes ask for (see below).
inline constexpr std::chrono::microseconds kLatencySlice{100};

// Raises this process's nice value to `min_nice` if it is lower (a process
// without privileges can only go up) and sets its time slice (0: the
// kernel's default, which also undoes a short slice inherited from the
// parent) under the kernel's EEVDF scheduler
// (Linux 6.12 or later; older kernels ignore it). A woken task with a short
// slice preempts tasks with longer ones at once instead of waiting for the
// next scheduler tick (up to 4 ms), which is what keeps the tiny-job tail
// short while big jobs run.
boost::system::error_code SetScheduling(int min_nice, std::chrono::microseconds slice);

}  // namespace fibpool::os
