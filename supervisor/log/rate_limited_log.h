// Admits at most one log line per interval for one kind of event, and counts
// the ones it held back so that a line can say how many there were: the next
// admitted line, or, when no event comes to carry the count, a line of its
// own at the end of the interval (Flush). Pure: the caller passes the clock
// and owns any timer (throttled_log.h). Not thread-safe (the event loop's).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace fibpool::supervisor {

// The interval every rate-limited event kind of the supervisor uses.
inline constexpr std::chrono::seconds kLogInterval{1};

class RateLimitedLog {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimitedLog(Clock::duration interval = kLogInterval) : interval_(interval) {}

  // True when a line may be logged at `now`; then *suppressed is the number
  // of events held back since the last line (and starts again at 0).
  bool Admit(Clock::time_point now, std::uint64_t* suppressed);

  // While events are held back: when the current interval ends, the time to
  // Flush() them. std::nullopt when none is held back.
  std::optional<Clock::time_point> FlushAt() const;
  // At or after FlushAt(): true, with *suppressed the events held back, for
  // a line of their own, which counts as the interval's line (the next is
  // admitted an interval later). False when none is held back or the
  // interval is not over.
  bool Flush(Clock::time_point now, std::uint64_t* suppressed);

 private:
  Clock::duration interval_;
  Clock::time_point next_{};  // the first admission is immediate
  std::uint64_t suppressed_ = 0;
};

}  // namespace fibpool::supervisor
