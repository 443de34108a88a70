#include "supervisor/log/rate_limited_log.h"

namespace fibpool::supervisor {

bool RateLimitedLog::Admit(Clock::time_point now, std::uint64_t* suppressed) {
  if (now < next_) {
    ++suppressed_;
    return false;
  }
  next_ = now + interval_;
  *suppressed = suppressed_;
  suppressed_ = 0;
  return true;
}

std::optional<RateLimitedLog::Clock::time_point> RateLimitedLog::FlushAt() const {
  if (suppressed_ == 0) return std::nullopt;
  return next_;
}

bool RateLimitedLog::Flush(Clock::time_point now, std::uint64_t* suppressed) {
  if (suppressed_ == 0 || now < next_) return false;
  return Admit(now, suppressed);
}

}  // namespace fibpool::supervisor
