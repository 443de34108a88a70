#include "supervisor/metrics_server.h"

#include <chrono>
#include <memory>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace fibpool::supervisor {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(asio::ip::tcp::socket socket, const MetricsServer::Render& metrics,
              const MetricsServer::Healthy& healthy)
      : stream_(std::move(socket)), metrics_(metrics), healthy_(healthy) {}

  void Start() {
    parser_.body_limit(8 * 1024);
    parser_.header_limit(8 * 1024);
    stream_.expires_after(std::chrono::seconds(10));
    http::async_read(stream_, buffer_, parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (!ec) self->Respond(self->parser_.get());
                     });
  }

 private:
  void Respond(const http::request<http::string_body>& request) {
    response_.version(request.version());
    response_.keep_alive(false);
    response_.set(http::field::server, "fibpool");
    const std::string_view target = request.target();
    if (request.method() != http::verb::get && request.method() != http::verb::head) {
      Set(http::status::method_not_allowed, "text/plain", "GET only\n");
    } else if (target == "/metrics") {
      Set(http::status::ok, "text/plain; version=0.0.4", metrics_());
    } else if (target == "/healthz") {
      const bool ok = healthy_();
      Set(ok ? http::status::ok : http::status::service_unavailable, "text/plain",
          ok ? "ok\n" : "unhealthy\n");
    } else {
      Set(http::status::not_found, "text/plain", "try /metrics or /healthz\n");
    }
    if (request.method() == http::verb::head) response_.body().clear();
    http::async_write(
        stream_, response_, [self = shared_from_this()](beast::error_code, std::size_t) {
          beast::error_code ignored;
          self->stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        });
  }

  void Set(http::status status, const char* type, std::string body) {
    response_.result(status);
    response_.set(http::field::content_type, type);
    response_.body() = std::move(body);
    response_.prepare_payload();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request_parser<http::string_body> parser_;
  http::response<http::string_body> response_;
  const MetricsServer::Render& metrics_;
  const MetricsServer::Healthy& healthy_;
};

}  // namespace

MetricsServer::MetricsServer(asio::io_context& io, const std::string& host, std::uint16_t port,
                             Render metrics, Healthy healthy)
    : acceptor_(io), metrics_(std::move(metrics)), healthy_(std::move(healthy)) {
  const asio::ip::tcp::endpoint endpoint(asio::ip::make_address(host), port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
}

void MetricsServer::Start() { Accept(); }

void MetricsServer::Stop() {
  beast::error_code ignored;
  acceptor_.close(ignored);
}

void MetricsServer::Accept() {
  acceptor_.async_accept([this](beast::error_code ec, asio::ip::tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) std::make_shared<HttpSession>(std::move(socket), metrics_, healthy_)->Start();
    Accept();
  });
}

}  // namespace fibpool::supervisor
