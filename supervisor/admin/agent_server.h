// HAProxy's agent check on a port of its own: every connection gets one line
// (agent_answer.h) and is closed (agent_reply.h). The answer comes from the
// `answer` callback, which only reads counters: no job, no computation.
//
// Lifetime: owns its acceptor, open from construction until destruction (so
// that it keeps answering `drain` while the server drains). Each connection
// is an AgentReply (agent_reply.h), which keeps itself alive until it has
// closed, at most about a second later.
// A failed accept (out of descriptors, usually) is retried after a pause
// rather than in a loop. Single-threaded: the supervisor's event loop.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "os/unique_fd.h"

namespace fibpool::supervisor {

class AgentServer {
 public:
  // Binds host:port (0 picks a port), or listens on `inherited` when it holds
  // a socket (tcp_listen.h). Throws boost::system::system_error.
  AgentServer(boost::asio::io_context& io, const std::string& host, std::uint16_t port,
              std::function<std::string()> answer, os::UniqueFd inherited = {});
  // The listening socket, to hand over in a binary upgrade.
  int native_handle() { return acceptor_.native_handle(); }
  std::uint16_t port() const { return port_; }
  // Starts answering (connections made before wait in the listen backlog).
  void Start();
  // Closes the listening socket: in a binary upgrade, where the new process
  // answers the same socket, so that a checker never hears this one's `drain`.
  void StopAccepting();

 private:
  void Accept();

  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer accept_retry_;  // after a failed accept (out of descriptors)
  std::function<std::string()> answer_;
  std::uint16_t port_ = 0;
};

}  // namespace fibpool::supervisor
