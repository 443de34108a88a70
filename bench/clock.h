// The bench's one clock: steady_clock in nanoseconds since its epoch, as a
// plain integer so that timestamps are cheap to store and subtract.
#pragma once

#include <chrono>
#include <cstdint>

namespace fibpool::bench {

inline std::int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

inline double NanosToSeconds(std::int64_t ns) { return static_cast<double>(ns) / 1e9; }

}  // namespace fibpool::bench
