// Spinning that gives way to other programs: a thread that busy-waits for an
// event it expects within microseconds yields the CPU between looks
// (Yield()), and stops spinning for a while (allowed() false) once a yield
// came back a whole time slice late, which means another program wants this
// CPU and would get it again on every yield: sleeping is then the better
// wait. Used by the workers' queue (ipc/job_queue.h) and the supervisor's
// event loops (supervisor/net/event_loop.h).
// Not thread-safe: one per spinning thread (or process). Cannot fail.
#pragma once

#include <cstdint>

namespace fibpool::os {

class PoliteSpin {
 public:
  // A yield longer than this came back a time slice late.
  static constexpr std::uint64_t kContendedYieldNs = 1'000'000;
  // How long spinning stays off after such a yield.
  static constexpr std::uint64_t kBackOffNs = 1'000'000'000;

  // Whether spinning is allowed at `now_ns` (MonotonicNanos).
  bool allowed(std::uint64_t now_ns) const { return now_ns >= no_spin_until_; }
  // Yields the CPU once (sched_yield) and judges how long that took.
  void Yield();
  // The rule behind Yield(): a yield from `before_ns` to `after_ns`.
  void Judge(std::uint64_t before_ns, std::uint64_t after_ns);

 private:
  std::uint64_t no_spin_until_ = 0;
};

}  // namespace fibpool::os
