#include "supervisor/net/connection_log.h"

#include <spdlog/spdlog.h>

#include "supervisor/log/log_quote.h"

namespace fibpool::supervisor {

ConnectionLog::ConnectionLog(boost::asio::any_io_executor executor, double access_share)
    : idle_closed_(executor, LogLevel::kDebug, "event=connection_closed reason=idle"),
      line_too_long_(executor, LogLevel::kDebug, "event=connection_closed reason=line_too_long"),
      proxy_refused_(executor, LogLevel::kInfo, "event=connection_refused reason=proxy_protocol"),
      busy_(executor, LogLevel::kInfo, "event=busy"),
      bad_request_(executor, LogLevel::kInfo, "event=bad_request"),
      access_(access_share) {}

void ConnectionLog::Closed(ThrottledLog& log, std::string_view reason, std::string_view client) {
  std::uint64_t suppressed = 0;
  if (log.Admit(&suppressed)) {
    spdlog::debug("event=connection_closed reason={} client={} suppressed={}", reason, client,
                  suppressed);
  }
}

void ConnectionLog::ProxyRefused(std::string_view client, std::string_view why) {
  std::uint64_t suppressed = 0;
  if (proxy_refused_.Admit(&suppressed)) {
    spdlog::info("event=connection_refused reason=proxy_protocol peer={} why={} suppressed={}",
                 client, LogQuoted(why), suppressed);
  }
}

void ConnectionLog::Error(AnswerError code, std::string_view client, std::string_view detail) {
  ThrottledLog* log = code == AnswerError::kBusy         ? &busy_
                      : code == AnswerError::kBadRequest ? &bad_request_
                                                         : nullptr;
  std::uint64_t suppressed = 0;
  if (log && log->Admit(&suppressed)) {
    spdlog::info("event={} client={} detail={} suppressed={}", AnswerErrorName(code), client,
                 LogQuoted(detail), suppressed);
  }
}

}  // namespace fibpool::supervisor
