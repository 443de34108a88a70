#include "supervisor/admin/agent_server.h"

#include <chrono>
#include <memory>

#include "supervisor/admin/agent_reply.h"
#include "supervisor/net/tcp_listen.h"

namespace fibpool::supervisor {

namespace asio = boost::asio;
using boost::system::error_code;

AgentServer::AgentServer(asio::io_context& io, const std::string& host, std::uint16_t port,
                         std::function<std::string()> answer, os::UniqueFd inherited)
    : acceptor_(io), accept_retry_(io), answer_(std::move(answer)) {
  port_ = ListenOrAdopt(acceptor_, std::move(inherited), host, port);
}

void AgentServer::Start() { Accept(); }

void AgentServer::StopAccepting() {
  error_code ignored;
  acceptor_.close(ignored);
  accept_retry_.cancel();
}

void AgentServer::Accept() {
  acceptor_.async_accept([this](const error_code& ec, asio::ip::tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      accept_retry_.expires_after(std::chrono::milliseconds(100));
      accept_retry_.async_wait([this](const error_code& e) {
        if (!e) Accept();
      });
      return;
    }
    std::make_shared<AgentReply>(std::move(socket), answer_())->Start();
    Accept();
  });
}

}  // namespace fibpool::supervisor
