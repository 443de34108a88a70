// One connection to the agent port (agent_server.h): writes its line, then
// ends the connection with a FIN, not a reset. Closing a socket that still
// holds unread bytes (a PROXY header or an `agent-send` string the checker
// sent) resets the connection, and a reset may discard the line before the
// checker reads it; so after the line the reply shuts its sending side and
// discards what arrives until the peer closes, for at most kAgentLingerLimit.
//
// Lifetime: keeps itself alive (shared_from_this in its handlers) until the
// socket is closed: at most kAgentLingerLimit after the line is written, so a
// peer that never closes holds a descriptor for that long and no more.
// Single-threaded: the supervisor's event loop.
#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

namespace fibpool::supervisor {

inline constexpr std::chrono::seconds kAgentLingerLimit{1};

class AgentReply : public std::enable_shared_from_this<AgentReply> {
 public:
  AgentReply(boost::asio::ip::tcp::socket socket, std::string line);
  void Start();

 private:
  void Discard();
  void Close();

  boost::asio::ip::tcp::socket socket_;
  std::string line_;
  boost::asio::steady_timer limit_;
  std::array<char, 256> sink_{};
};

}  // namespace fibpool::supervisor
