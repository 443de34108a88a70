#include "supervisor/rate_limited_log.h"

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

}  // namespace fibpool::supervisor
