// HTTP on a second port for operators: GET /metrics (Prometheus text) and GET
// /healthz ("ok", 200, or "unhealthy", 503), with Boost.Beast on the
// supervisor's event loop. One request per connection; requests over 8 KiB,
// other paths and methods get 4xx; a client has 10 s to send its request.
//
// Lifetime: owns its acceptor; sessions keep themselves alive. Stop() closes
// the acceptor (sessions in flight finish). Single-threaded.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace fibpool::supervisor {

class MetricsServer {
 public:
  using Render = std::function<std::string()>;
  using Healthy = std::function<bool()>;

  // Binds host:port (0 picks a port). Throws boost::system::system_error.
  MetricsServer(boost::asio::io_context& io, const std::string& host, std::uint16_t port,
                Render metrics, Healthy healthy);
  std::uint16_t port() const { return port_; }
  void Start();
  void Stop();

 private:
  void Accept();

  boost::asio::ip::tcp::acceptor acceptor_;
  Render metrics_;
  Healthy healthy_;
  std::uint16_t port_ = 0;
};

}  // namespace fibpool::supervisor
