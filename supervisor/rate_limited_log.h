// Admits at most one log line per interval for one kind of event, and counts
// the ones it held back so that the next line can say how many there were.
// Pure: the caller passes the clock. Not thread-safe (the event loop's).
#pragma once

#include <chrono>
#include <cstdint>

namespace fibpool::supervisor {

// The interval every rate-limited event kind of the supervisor uses.
inline constexpr std::chrono::seconds kLogInterval{1};

class RateLimitedLog {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimitedLog(Clock::duration interval = kLogInterval) : interval_(interval) {}

  // True when a line may be logged at `now`; then *suppressed is the number
  // of events held back since the last admitted one (and starts again at 0).
  bool Admit(Clock::time_point now, std::uint64_t* suppressed);

 private:
  Clock::duration interval_;
  Clock::time_point next_{};  // the first admission is immediate
  std::uint64_t suppressed_ = 0;
};

}  // namespace fibpool::supervisor
