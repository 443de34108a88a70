#include "supervisor/log/throttled_log.h"

#include <spdlog/spdlog.h>

namespace fibpool::supervisor {

namespace {

spdlog::level::level_enum SpdlogLevel(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kError:
      break;
  }
  return spdlog::level::err;
}

}  // namespace

ThrottledLog::ThrottledLog(boost::asio::any_io_executor executor, LogLevel level,
                           std::string summary)
    : timer_(std::move(executor)), level_(level), summary_(std::move(summary)) {}

ThrottledLog::~ThrottledLog() {
  std::uint64_t suppressed = 0;
  const auto at = limit_.FlushAt();
  if (at && limit_.Flush(*at, &suppressed)) {
    spdlog::log(SpdlogLevel(level_), "{} suppressed={}", summary_, suppressed);
  }
}

bool ThrottledLog::Admit(std::uint64_t* suppressed) {
  if (!spdlog::should_log(SpdlogLevel(level_))) return false;
  if (limit_.Admit(RateLimitedLog::Clock::now(), suppressed)) return true;
  ArmFlush();
  return false;
}

void ThrottledLog::ArmFlush() {
  const auto at = limit_.FlushAt();
  if (armed_ || !at) return;
  armed_ = true;
  timer_.expires_at(*at);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    armed_ = false;
    Flush();
  });
}

void ThrottledLog::Flush() {
  std::uint64_t suppressed = 0;
  if (limit_.Flush(RateLimitedLog::Clock::now(), &suppressed)) {
    spdlog::log(SpdlogLevel(level_), "{} suppressed={}", summary_, suppressed);
  }
  ArmFlush();  // an event admitted meanwhile may have left others held back
}

}  // namespace fibpool::supervisor
