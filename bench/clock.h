// The bench's clock: fibpool's monotonic clock (os::MonotonicNanos,
// CLOCK_MONOTONIC) as a signed count of nanoseconds, so that timestamps are
// cheap to store and their differences may be negative.
#pragma once

#include <cstdint>

#include "ipc/job_queue.h"
#include "os/monotonic_clock.h"

namespace fibpool::bench {

inline std::int64_t NowNanos() { return static_cast<std::int64_t>(os::MonotonicNanos()); }

inline double NanosToSeconds(std::int64_t ns) { return static_cast<double>(ns) / 1e9; }

}  // namespace fibpool::bench
