// What the metrics port answers, decided from the method and the target
// alone (no I/O): GET or HEAD of
//   /            the status page (status_page.h), HTML
//   /stats.json  the `stats` JSON
//   /status/history  the page's last five minutes of samples, JSON
//                (status_history.h)
//   /metrics     the Prometheus text
//   /healthz     "ok" (200) or "unhealthy" (503)
// A query string is ignored (/metrics?x=y is /metrics); other paths get 404,
// other methods 405 with an Allow header; a request that is not HTTP gets 400
// (MalformedRequest).
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace fibpool::supervisor {

// What the endpoints serve, rendered when asked for. Called on the event
// loop's thread; must not throw.
struct HttpEndpoints {
  std::function<std::string()> metrics;     // Prometheus text exposition
  std::function<std::string()> stats_json;  // the `stats` answer
  std::function<bool()> healthy;
  std::function<std::string()> history_json;  // StatusHistory::Json()
};

struct HttpAnswer {
  unsigned status = 200;
  std::string_view content_type;
  std::string body;
  std::string_view allow;  // the Allow header's value; empty: no Allow header
};

inline constexpr std::string_view kAllowedMethods = "GET, HEAD";

// `method` as sent ("GET"), `target` the request-target ("/metrics?x=y").
HttpAnswer Route(std::string_view method, std::string_view target, const HttpEndpoints& endpoints);

HttpAnswer MalformedRequest();

}  // namespace fibpool::supervisor
