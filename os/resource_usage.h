// What the calling process has used so far, as getrusage(RUSAGE_SELF) tells
// it: CPU time (user and system) and the peak resident set size. Both only
// grow, so the CPU time of a stretch of work is the difference of two
// readings; the peak is the process's high-water mark since it started.
// Thread-safe; cannot fail (a failed getrusage reads as zeros).
#pragma once

#include <cstdint>

namespace fibpool::os {

struct ResourceUsage {
  std::uint64_t cpu_ns = 0;
  std::uint64_t peak_rss_bytes = 0;
};

ResourceUsage SelfResourceUsage();

}  // namespace fibpool::os
