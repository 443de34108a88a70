#include "os/polite_spin.h"

#include <sched.h>

#include "os/monotonic_clock.h"

namespace fibpool::os {

void PoliteSpin::Yield() {
  const std::uint64_t before = MonotonicNanos();
  ::sched_yield();
  Judge(before, MonotonicNanos());
}

void PoliteSpin::Judge(std::uint64_t before_ns, std::uint64_t after_ns) {
  if (after_ns > before_ns && after_ns - before_ns > kContendedYieldNs) {
    no_spin_until_ = before_ns + kBackOffNs;
  }
}

}  // namespace fibpool::os
