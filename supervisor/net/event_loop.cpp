#include "supervisor/net/event_loop.h"

#include <algorithm>
#include <cstdint>

#include "os/monotonic_clock.h"
#include "os/polite_spin.h"

namespace fibpool::supervisor {

bool SpinBackOff::SpinNext() {
  if (skip_ == 0) return true;
  --skip_;
  return false;
}

void SpinBackOff::Spun(bool hit) {
  if (hit) {
    backoff_ = 0;
    return;
  }
  backoff_ = std::min(kMaxSkip, std::max(1u, backoff_ * 2));
  skip_ = backoff_;
}

void RunEventLoop(boost::asio::io_context& io, std::chrono::microseconds spin) {
  if (spin.count() <= 0) {
    io.run();
    return;
  }
  const auto spin_ns = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(spin).count());
  os::PoliteSpin polite;
  SpinBackOff back_off;
  for (;;) {
    if (io.poll() > 0) continue;
    if (io.stopped()) return;
    // Nothing ready: spin for the next event, or block for it.
    bool hit = false;
    if (back_off.SpinNext()) {
      const std::uint64_t start = os::MonotonicNanos();
      bool spun = false;
      for (std::uint64_t now = start; now - start < spin_ns && polite.allowed(now);
           now = os::MonotonicNanos()) {
        spun = true;
        polite.Yield();
        if (io.poll() > 0) {
          hit = true;
          break;
        }
        if (io.stopped()) return;
      }
      if (spun) back_off.Spun(hit);
    }
    if (!hit && io.run_one() == 0) return;
  }
}

}  // namespace fibpool::supervisor
