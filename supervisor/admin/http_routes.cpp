#include "supervisor/admin/http_routes.h"

#include "supervisor/admin/status_page.h"

namespace fibpool::supervisor {

namespace {

constexpr std::string_view kText = "text/plain; charset=utf-8";

}  // namespace

HttpAnswer Route(std::string_view method, std::string_view target, const HttpEndpoints& endpoints) {
  if (method != "GET" && method != "HEAD") {
    return {405, kText, "GET or HEAD only\n", kAllowedMethods};
  }
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/") return {200, "text/html; charset=utf-8", std::string(StatusPageHtml()), {}};
  if (path == "/stats.json") return {200, "application/json", endpoints.stats_json() + "\n", {}};
  if (path == "/status/history") {
    return {200, "application/json", endpoints.history_json() + "\n", {}};
  }
  if (path == "/metrics") return {200, "text/plain; version=0.0.4", endpoints.metrics(), {}};
  if (path == "/healthz") {
    const bool ok = endpoints.healthy();
    return {ok ? 200u : 503u, kText, ok ? "ok\n" : "unhealthy\n", {}};
  }
  return {404, kText, "try /, /stats.json, /status/history, /metrics or /healthz\n", {}};
}

HttpAnswer MalformedRequest() { return {400, kText, "malformed HTTP request\n", {}}; }

}  // namespace fibpool::supervisor
