// Owns the open client connections (the connection manager of Asio's HTTP
// server example): holds each one from Start until it closes, counts the
// open connections (the gauge; ClientConnections, client_connections.h,
// counts what max_connections limits), and drains them all when the server
// drains.
//
// A connection holds its slot (Metrics::connections_open, counted here) from
// Start until it has nothing more to send (connection_state.h, kLingering)
// or its socket fails, and stays in the set until its socket closes. Lifetime: outlives every
// connection it holds (a connection calls back into it until it closes).
// Threading: one io_context's thread; size() may be read from any thread.
// Nothing here throws.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>

#include "supervisor/metrics/metrics.h"

namespace fibpool::supervisor {

class Connection;

class ConnectionManager {
 public:
  // `metrics` outlives the manager. `on_empty` runs whenever the last
  // connection leaves the set.
  explicit ConnectionManager(Metrics* metrics, std::function<void()> on_empty = {});
  ConnectionManager(const ConnectionManager&) = delete;
  ConnectionManager& operator=(const ConnectionManager&) = delete;

  // Holds `connection`, takes a slot for it and starts it.
  void Start(std::shared_ptr<Connection> connection);
  // Every connection answers what it has read, then closes (Connection::Drain).
  void DrainAll();
  bool empty() const { return connections_.empty(); }
  // The connections held, for any thread.
  std::size_t size() const { return size_.load(std::memory_order_relaxed); }

  // From a connection: it has nothing more to send (once per connection).
  void ReleaseSlot();
  // From a connection: its socket is closed; forget it.
  void Stop(const std::shared_ptr<Connection>& connection);

 private:
  Metrics* metrics_;
  std::function<void()> on_empty_;
  std::set<std::shared_ptr<Connection>> connections_;
  std::atomic<std::size_t> size_{0};  // connections_.size(), for other threads
};

}  // namespace fibpool::supervisor
