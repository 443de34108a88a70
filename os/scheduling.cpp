#include "os/scheduling.h"

#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>

namespace fibpool::os {

namespace {

// The kernel's struct sched_attr (include/uapi/linux/sched/types.h); glibc
// 2.36 declares neither it nor a wrapper for sched_setattr.
struct SchedAttr {
  std::uint32_t size;
  std::uint32_t sched_policy;
  std::uint64_t sched_flags;
  std::int32_t sched_nice;
  std::uint32_t sched_priority;
  std::uint64_t sched_runtime;  // SCHED_OTHER: the requested slice, in ns
  std::uint64_t sched_deadline;
  std::uint64_t sched_period;
  std::uint32_t sched_util_min;
  std::uint32_t sched_util_max;
};

}  // namespace

boost::system::error_code SetScheduling(int min_nice, std::chrono::microseconds slice) {
  errno = 0;
  const int current = ::getpriority(PRIO_PROCESS, 0);
  if (errno != 0) return ErrnoError();
  const int nice = std::max(current, min_nice);
  SchedAttr attr{};
  attr.size = sizeof attr;
  attr.sched_policy = SCHED_OTHER;
  attr.sched_nice = nice;
  attr.sched_runtime =
      static_cast<std::uint64_t>(std::chrono::nanoseconds(std::max(slice, slice.zero())).count());
  if (::syscall(SYS_sched_setattr, 0, &attr, 0) == 0) return {};
  if (nice == current || ::setpriority(PRIO_PROCESS, 0, nice) == 0) return {};
  return ErrnoError();
}

}  // namespace fibpool::os
