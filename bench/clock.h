// The bench's clock: fibpool's monotonic clock (os::MonotonicNanos,
// CLOCK_MONOTONIC) as a signed count of nanoseconds, so that timestamps are
// cheap to store and their differences may be negative.
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>

#include "ipc/job_queue.h"
#include "os/monotonic_clock.h"

namespace fibpool::bench {

inline std::int64_t NowNanos() { return static_cast<std::int64_t>(os::MonotonicNanos()); }

// A NowNanos() timestamp as a steady_clock time point, for Asio's timers
// (std::chrono::steady_clock is CLOCK_MONOTONIC on Linux).
inline std::chrono::steady_clock::time_point SteadyAt(std::int64_t ns) {
  return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ns));
}

inline double NanosToSeconds(std::int64_t ns) { return static_cast<double>(ns) / 1e9; }

// The calling thread's CPU time so far (CLOCK_THREAD_CPUTIME_ID).
inline std::int64_t ThreadCpuNanos() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace fibpool::bench
