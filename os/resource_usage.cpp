#include "os/resource_usage.h"

#include <sys/resource.h>

namespace fibpool::os {

namespace {

std::uint64_t Nanos(const timeval& t) {
  return static_cast<std::uint64_t>(t.tv_sec) * 1'000'000'000ULL +
         static_cast<std::uint64_t>(t.tv_usec) * 1'000ULL;
}

}  // namespace

ResourceUsage SelfResourceUsage() {
  rusage usage{};
  if (::getrusage(RUSAGE_SELF, &usage) != 0) return {};
  // Linux reports ru_maxrss in KiB.
  return ResourceUsage{Nanos(usage.ru_utime) + Nanos(usage.ru_stime),
                       static_cast<std::uint64_t>(usage.ru_maxrss) * 1024};
}

}  // namespace fibpool::os
