#include "supervisor/admin/agent_reply.h"

#include <boost/asio/write.hpp>

namespace fibpool::supervisor {

namespace asio = boost::asio;
using boost::system::error_code;

AgentReply::AgentReply(asio::ip::tcp::socket socket, std::string line)
    : socket_(std::move(socket)), line_(std::move(line)), limit_(socket_.get_executor()) {}

void AgentReply::Start() {
  asio::async_write(socket_, asio::buffer(line_),
                    [self = shared_from_this()](const error_code& ec, std::size_t) {
                      if (ec) return self->Close();
                      error_code ignored;
                      self->socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
                      self->limit_.expires_after(kAgentLingerLimit);
                      self->limit_.async_wait([self](const error_code& e) {
                        if (!e) self->Close();
                      });
                      self->Discard();
                    });
}

void AgentReply::Discard() {
  socket_.async_read_some(asio::buffer(sink_),
                          [self = shared_from_this()](const error_code& ec, std::size_t) {
                            if (ec) return self->Close();
                            self->Discard();
                          });
}

void AgentReply::Close() {
  error_code ignored;
  socket_.close(ignored);
  limit_.cancel();
}

}  // namespace fibpool::supervisor
