// The PROXY protocol preface (proxy_header.h) of a connection accepted with
// proxy_protocol on: read before the connection exists, so that a Connection
// is always a client's, named from its first byte.
//
// Reads the header and nothing else: once it is complete, its source address
// (or the socket's peer, for a LOCAL header or an UNKNOWN family) names the
// client, which claims its place in the counts by address
// (client_connections.h), and `done` gets the socket with the bytes read
// after the header (the client's first requests, maybe none). Otherwise the
// connection is refused with one ERR line, then a FIN, reading and
// discarding until the client closes too (or kLinger passes):
//   - bytes that are not a header, or a malformed one:
//     `ERR bad_request <why>` (Metrics::connections_proxy_refused, logged);
//   - no whole header within kProxyHeaderTimeout (or idle_timeout when
//     shorter), or the client's EOF before it: the same;
//   - a source holding max_connections_per_client:
//     `ERR busy too many connections from your address; try again later`.
// At most kMaxProxyHeaderBytes plus one read are held.
//
// Ownership: keeps itself alive through shared_from_this() while an
// operation is pending; the ConnectionManager holds it from Start until it
// ends (done, or closed), and counts its connection slot from the accept.
// Single-threaded: the socket's executor. Nothing here throws.
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "supervisor/net/client_connections.h"
#include "supervisor/net/connection_env.h"

namespace fibpool::supervisor {

// How long a connection may take to send its whole PROXY protocol header; a
// load balancer sends it with its first bytes.
inline constexpr std::chrono::seconds kProxyHeaderTimeout{10};

class ProxyHandshake : public std::enable_shared_from_this<ProxyHandshake> {
 public:
  using ClientSlot = ClientConnections::Slot;
  // The client's connection, ready to serve: its socket, its place in the
  // counts, its name (flow_key.h) and the bytes that followed the header.
  using Done = std::function<void(boost::asio::ip::tcp::socket socket, ClientSlot client,
                                  std::string flow, std::string rest)>;
  // `peer`: FlowKeyOf the socket, the client's name until the header names
  // another. `ended` runs once when the handshake is over either way, after
  // `done` when it succeeded (the manager forgets it then).
  ProxyHandshake(boost::asio::ip::tcp::socket socket, const ConnectionEnv& env, ClientSlot client,
                 std::string peer, Done done, std::function<void(ProxyHandshake*)> ended);

  void Start();
  // The server drains: closes the connection, which has sent no request.
  void Stop();

 private:
  // kReading: the header; kRefusing: the ERR line is being written;
  // kLingering: after the FIN, reading and discarding; kOver: closed, or
  // handed to `done`.
  enum class Phase { kReading, kRefusing, kLingering, kOver };

  void Read();
  void OnRead(const boost::system::error_code& ec, std::size_t n);
  // The header is invalid or missing: counted, logged, refused.
  void RefuseHeader(std::string_view why);
  // The connection gets `line` and closes (see above).
  void Refuse(std::string line);
  // Uncounts the connection, sends FIN and discards until the client closes.
  void Linger();
  void Close();

  boost::asio::ip::tcp::socket socket_;
  const ConnectionEnv& env_;
  ClientSlot client_;
  Done done_;
  std::function<void(ProxyHandshake*)> ended_;
  std::string flow_;     // the peer's, until the header names the client
  std::string header_;   // the bytes read so far
  std::string refusal_;  // the line being written
  std::array<char, 4096> read_buffer_;
  boost::asio::steady_timer timer_;
  Phase phase_ = Phase::kReading;
  bool read_in_flight_ = false;
};

}  // namespace fibpool::supervisor
