#include "supervisor/net/event_loop.h"

#include <cstdint>

#include "os/monotonic_clock.h"
#include "os/polite_spin.h"

namespace fibpool::supervisor {

void RunEventLoop(boost::asio::io_context& io, std::chrono::microseconds spin) {
  if (spin.count() <= 0) {
    io.run();
    return;
  }
  const auto spin_ns = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(spin).count());
  os::PoliteSpin polite;
  std::uint64_t last_work = os::MonotonicNanos();
  for (;;) {
    if (io.poll() > 0) {
      last_work = os::MonotonicNanos();
      continue;
    }
    if (io.stopped()) return;
    const std::uint64_t now = os::MonotonicNanos();
    if (now - last_work < spin_ns && polite.allowed(now)) {
      polite.Yield();
      continue;
    }
    if (io.run_one() == 0) return;
    last_work = os::MonotonicNanos();
  }
}

}  // namespace fibpool::supervisor
