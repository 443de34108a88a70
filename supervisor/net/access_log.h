// The access log (setting access_log, off by default): one info line per
// answered request line, for all of them or a share, written when the
// answer has been written to the client:
//   event=access client=192.0.2.7 request="30" outcome=ok bytes=7 ms=0.214
// `outcome` is `ok` for every answer that is not an ERR line, else the ERR
// code; `bytes` the answer's size, LF included; `ms` the time from reading
// the request to the end of writing its answer. The request is quoted and
// escaped (log_quote.h).
//
// One AccessLog per event-loop thread (ConnectionLog): not thread-safe.
// Nothing here throws on the serving path.
#pragma once

#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "supervisor/net/answer_queue.h"

namespace fibpool::supervisor {

class AccessLog {
 public:
  // `share`: 0 logs nothing, 1 every request, 0.01 one in a hundred; kept
  // in millionths (the setting's resolution), so that the count is exact.
  explicit AccessLog(double share)
      : per_million_(static_cast<std::uint64_t>(std::llround(share * kMillion))) {}

  bool on() const { return per_million_ > 0; }
  double share() const { return static_cast<double>(per_million_) / kMillion; }
  // Whether the next request goes to the log: evenly, `share` of them (the
  // first one always, while on).
  bool Sample();
  // Logs the answers of a completed write that were noted for the log
  // (AnswerQueue::Note) at `now`.
  void Written(std::string_view client, const std::vector<AnswerQueue::Answer>& answers,
               std::chrono::steady_clock::time_point now) const;

  // The line of one answer (`text`: the answer, or its LF when the digits
  // came apart from it), without the log's prefix. Pure.
  static std::string Line(std::string_view client, std::string_view request, std::string_view text,
                          std::uint64_t bytes, std::chrono::nanoseconds took);

 private:
  static constexpr std::uint64_t kMillion = 1'000'000;
  std::uint64_t per_million_;
  std::uint64_t credit_ = kMillion;  // a request is logged when it reaches kMillion
};

}  // namespace fibpool::supervisor
