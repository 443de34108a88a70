// The one monotonic clock of fibpool's processes: nanoseconds of
// CLOCK_MONOTONIC, comparable across the supervisor and its workers (the
// queue cells carry such times). Thread- and process-safe; cannot fail.
#pragma once

#include <cstdint>

namespace fibpool::os {

std::uint64_t MonotonicNanos();

}  // namespace fibpool::os
