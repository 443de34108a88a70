// One rate-limited kind of log line on an event loop (RateLimitedLog, with
// its timer): at most one line per kLogInterval, each saying with
// `suppressed=N` how many events of its kind were held back before it. When
// events are held back and none follows to carry the count, a line of
// `summary` (the kind's fixed fields, e.g. "event=connection_refused
// reason=max_connections") and `suppressed=N` reports them at the end of the
// interval, or when the ThrottledLog is destroyed.
//
// Threading: the executor's thread only. Lifetime: destroy it only where its
// executor runs no more handlers (after io_context::run() has returned or
// its thread is joined): a pending timer's handler refers to it. Nothing
// here throws on the serving path.
#pragma once

#include <cstdint>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "supervisor/log/rate_limited_log.h"

namespace fibpool::supervisor {

// The level of a kind's lines: spdlog's level of the same name. (Kept apart
// from spdlog's headers, which only the .cpp includes.)
enum class LogLevel { kDebug, kInfo, kError };

class ThrottledLog {
 public:
  ThrottledLog(boost::asio::any_io_executor executor, LogLevel level, std::string summary);
  ~ThrottledLog();
  ThrottledLog(const ThrottledLog&) = delete;
  ThrottledLog& operator=(const ThrottledLog&) = delete;

  // An event of this kind: true when the caller may log its line now (at
  // the level given), with *suppressed the events held back before it.
  // False, and nothing counted, while that level is not logged.
  bool Admit(std::uint64_t* suppressed);

 private:
  void ArmFlush();
  void Flush();

  RateLimitedLog limit_;
  boost::asio::steady_timer timer_;
  LogLevel level_;
  std::string summary_;
  bool armed_ = false;  // timer_ waits for the end of the interval
};

}  // namespace fibpool::supervisor
