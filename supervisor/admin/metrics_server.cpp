#include "supervisor/admin/metrics_server.h"

#include <boost/beast/core/error.hpp>

#include "supervisor/net/tcp_listen.h"

namespace fibpool::supervisor {

namespace asio = boost::asio;

MetricsServer::MetricsServer(asio::io_context& io, const std::string& host, std::uint16_t port,
                             HttpEndpoints endpoints,
                             std::function<StatusFigures()> status_figures, os::UniqueFd inherited)
    : acceptor_(io),
      accept_retry_(io),
      recorder_(io, std::move(status_figures)),
      endpoints_(std::move(endpoints)) {
  endpoints_.history_json = [this] { return recorder_.history().Json(); };
  port_ = ListenOrAdopt(acceptor_, std::move(inherited), host, port);
}

void MetricsServer::Start() {
  recorder_.Start();
  Accept();
}

void MetricsServer::Stop() {
  recorder_.Stop();
  boost::beast::error_code ignored;
  acceptor_.close(ignored);
  accept_retry_.cancel();
  for (const auto& weak : sessions_) {
    if (const auto session = weak.lock()) session->CloseIfWaiting();
  }
  sessions_.clear();
}

void MetricsServer::Accept() {
  acceptor_.async_accept([this](boost::beast::error_code ec, asio::ip::tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      accept_retry_.expires_after(kAcceptRetry);
      accept_retry_.async_wait([this](const boost::beast::error_code& e) {
        if (!e && acceptor_.is_open()) Accept();
      });
      return;
    }
    std::erase_if(sessions_, [](const auto& weak) { return weak.expired(); });
    auto session = std::make_shared<HttpSession>(std::move(socket), endpoints_);
    sessions_.push_back(session);
    session->Start();
    Accept();
  });
}

}  // namespace fibpool::supervisor
