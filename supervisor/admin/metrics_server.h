// HTTP on a second port for operators, with Boost.Beast on the supervisor's
// event loop: the status page at /, /stats.json, /status/history, /metrics
// (Prometheus text) and /healthz (http_routes.h says what each answers). One
// request per connection (http_session.h). From Start() to Stop() it samples
// the page's figures once a second (status_recorder.h) for /status/history.
//
// Lifetime: owns its acceptor; sessions keep themselves alive, and must not
// outlive the MetricsServer's io_context turns (they read its endpoints).
// Stop() closes the acceptor and every connection still waiting for its
// request, so an idle client never holds up a shutdown; answers being
// written finish. An accept that fails (out of descriptors) is retried
// after kAcceptRetry, never in a busy loop. Single-threaded.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "os/unique_fd.h"
#include "supervisor/admin/http_routes.h"
#include "supervisor/admin/http_session.h"
#include "supervisor/admin/status_recorder.h"

namespace fibpool::supervisor {

class MetricsServer {
 public:
  static constexpr std::chrono::milliseconds kAcceptRetry{100};

  // Binds host:port (0 picks a port), or listens on `inherited` when it holds
  // a socket (tcp_listen.h). Throws boost::system::system_error.
  // `endpoints.history_json` is set here; `status_figures` is read once a
  // second while started.
  MetricsServer(boost::asio::io_context& io, const std::string& host, std::uint16_t port,
                HttpEndpoints endpoints, std::function<StatusFigures()> status_figures,
                os::UniqueFd inherited = {});
  // The listening socket, to hand over in a binary upgrade.
  int native_handle() { return acceptor_.native_handle(); }
  std::uint16_t port() const { return port_; }
  void Start();
  void Stop();

 private:
  void Accept();

  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer accept_retry_;
  StatusRecorder recorder_;
  HttpEndpoints endpoints_;
  std::vector<std::weak_ptr<HttpSession>> sessions_;  // open ones, and some already gone
  std::uint16_t port_ = 0;
};

}  // namespace fibpool::supervisor
