#include "supervisor/net/connection_manager.h"

#include <vector>

#include "supervisor/net/connection.h"

namespace fibpool::supervisor {

ConnectionManager::ConnectionManager(Metrics* metrics, std::function<void()> on_empty)
    : metrics_(metrics), on_empty_(std::move(on_empty)) {}

void ConnectionManager::Start(std::shared_ptr<Connection> connection) {
  ++metrics_->connections_open;
  ++metrics_->connections_total;
  connections_.insert(connection);
  size_.store(connections_.size(), std::memory_order_relaxed);
  connection->Start();
}

void ConnectionManager::DrainAll() {
  // A copy: a connection may close, and leave the set, inside Drain().
  const std::vector<std::shared_ptr<Connection>> connections(connections_.begin(),
                                                             connections_.end());
  for (const auto& c : connections) c->Drain();
}

void ConnectionManager::ReleaseSlot() { --metrics_->connections_open; }

void ConnectionManager::Stop(const std::shared_ptr<Connection>& connection) {
  if (connections_.erase(connection) == 0) return;
  size_.store(connections_.size(), std::memory_order_relaxed);
  if (connections_.empty() && on_empty_) on_empty_();
}

}  // namespace fibpool::supervisor
