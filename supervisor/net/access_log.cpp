#include "supervisor/net/access_log.h"

#include <spdlog/spdlog.h>

#include "supervisor/log/log_quote.h"

namespace fibpool::supervisor {

bool AccessLog::Sample() {
  if (per_million_ == 0) return false;
  if (credit_ < kMillion) {
    credit_ += per_million_;
    if (credit_ < kMillion) return false;
  }
  credit_ -= kMillion;
  return true;
}

void AccessLog::Written(std::string_view client, const std::vector<AnswerQueue::Answer>& answers,
                        std::chrono::steady_clock::time_point now) const {
  for (const AnswerQueue::Answer& a : answers) {
    if (a.received == std::chrono::steady_clock::time_point{}) continue;
    spdlog::info(
        "{}", Line(client, a.request, a.payload.text, a.payload.size(), now - a.received));
  }
}

std::string AccessLog::Line(std::string_view client, std::string_view request,
                            std::string_view text, std::uint64_t bytes,
                            std::chrono::nanoseconds took) {
  std::string_view outcome = "ok";
  if (text.starts_with("ERR ")) {
    outcome = text.substr(4);
    outcome = outcome.substr(0, outcome.find_first_of(" \n"));
  }
  return fmt::format("event=access client={} request={} outcome={} bytes={} ms={:.3f}", client,
                     LogQuoted(request), outcome, bytes,
                     std::chrono::duration<double, std::milli>(took).count());
}

}  // namespace fibpool::supervisor
