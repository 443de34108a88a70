#include "supervisor/metrics_server.h"

#include <boost/beast/core/error.hpp>

#include "supervisor/tcp_listen.h"

namespace fibpool::supervisor {

namespace asio = boost::asio;

MetricsServer::MetricsServer(asio::io_context& io, const std::string& host, std::uint16_t port,
                             HttpEndpoints endpoints, os::UniqueFd inherited)
    : acceptor_(io), endpoints_(std::move(endpoints)) {
  port_ = ListenOrAdopt(acceptor_, std::move(inherited), host, port);
}

void MetricsServer::Start() { Accept(); }

void MetricsServer::Stop() {
  boost::beast::error_code ignored;
  acceptor_.close(ignored);
  for (const auto& weak : sessions_) {
    if (const auto session = weak.lock()) session->CloseIfWaiting();
  }
  sessions_.clear();
}

void MetricsServer::Accept() {
  acceptor_.async_accept([this](boost::beast::error_code ec, asio::ip::tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      std::erase_if(sessions_, [](const auto& weak) { return weak.expired(); });
      auto session = std::make_shared<HttpSession>(std::move(socket), endpoints_);
      sessions_.push_back(session);
      session->Start();
    }
    Accept();
  });
}

}  // namespace fibpool::supervisor
