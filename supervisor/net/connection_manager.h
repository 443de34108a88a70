// Owns the open client connections (the connection manager of Asio's HTTP
// server example): holds each one from its accept until it closes, first
// through its PROXY handshake (proxy_handshake.h) when proxy_protocol is on,
// then as a Connection; counts the open connections (the gauge;
// ClientConnections, client_connections.h, counts what max_connections
// limits), and drains them all when the server drains.
//
// A connection holds its slot (Metrics::connections_open, counted here) from
// its accept until it has nothing more to send (connection_state.h,
// kLingering) or its socket fails, and stays in the set until its socket
// closes. Lifetime: outlives every connection it holds (a connection calls
// back into it until it closes).
// Threading: one io_context's thread; size() may be read from any thread.
// Nothing here throws.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>

#include <boost/asio/ip/tcp.hpp>

#include "supervisor/metrics/metrics.h"
#include "supervisor/net/client_connections.h"
#include "supervisor/net/connection_env.h"

namespace fibpool::supervisor {

class Connection;
class ProxyHandshake;

class ConnectionManager {
 public:
  // `metrics` outlives the manager. `on_empty` runs whenever the last
  // connection leaves the set.
  explicit ConnectionManager(Metrics* metrics, std::function<void()> on_empty = {});
  ConnectionManager(const ConnectionManager&) = delete;
  ConnectionManager& operator=(const ConnectionManager&) = delete;

  // Takes a slot for the connection of `socket` and serves it with `env`
  // (which outlives it, and names this manager): through its PROXY
  // handshake first when env.proxy_protocol is on. `peer`: FlowKeyOf the
  // socket, as the acceptor read it (the client's name without a header).
  void Accept(const ConnectionEnv& env, boost::asio::ip::tcp::socket socket, std::string peer,
              ClientConnections::Slot client = {});
  // Every connection answers what it has read, then closes (Connection::Drain);
  // a handshake still under way closes at once.
  void DrainAll();
  bool empty() const { return connections_.empty() && handshakes_.empty(); }
  // The connections held, for any thread.
  std::size_t size() const { return size_.load(std::memory_order_relaxed); }

  // From a connection: it has nothing more to send (once per connection).
  void ReleaseSlot();
  // From a connection: its socket is closed; forget it.
  void Stop(const std::shared_ptr<Connection>& connection);

 private:
  // Holds `connection` and starts it; its slot is counted already.
  void Start(std::shared_ptr<Connection> connection);
  void UpdateSize();

  Metrics* metrics_;
  std::function<void()> on_empty_;
  std::set<std::shared_ptr<Connection>> connections_;
  std::set<std::shared_ptr<ProxyHandshake>> handshakes_;
  std::atomic<std::size_t> size_{0};  // both sets' size, for other threads
};

}  // namespace fibpool::supervisor
