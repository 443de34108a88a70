#include "supervisor/net/connection_manager.h"

#include <algorithm>
#include <string>
#include <vector>

#include "supervisor/net/connection.h"
#include "supervisor/net/proxy_handshake.h"

namespace fibpool::supervisor {

ConnectionManager::ConnectionManager(Metrics* metrics, std::function<void()> on_empty)
    : metrics_(metrics), on_empty_(std::move(on_empty)) {}

void ConnectionManager::Accept(const ConnectionEnv& env, boost::asio::ip::tcp::socket socket,
                               std::string peer, ClientConnections::Slot client) {
  ++metrics_->connections_open;
  ++metrics_->connections_total;
  if (!env.proxy_protocol) {
    return Start(
        std::make_shared<Connection>(std::move(socket), env, std::move(client), std::move(peer)));
  }
  auto handshake = std::make_shared<ProxyHandshake>(
      std::move(socket), env, std::move(client), std::move(peer),
      [this, &env](boost::asio::ip::tcp::socket s, ClientConnections::Slot c, std::string flow,
                   std::string rest) {
        Start(std::make_shared<Connection>(std::move(s), env, std::move(c), std::move(flow),
                                           std::move(rest)));
      },
      [this](ProxyHandshake* ended) {
        const auto it = std::find_if(handshakes_.begin(), handshakes_.end(),
                                     [ended](const auto& h) { return h.get() == ended; });
        if (it == handshakes_.end()) return;
        handshakes_.erase(it);
        UpdateSize();
      });
  handshakes_.insert(handshake);
  UpdateSize();
  handshake->Start();
}

void ConnectionManager::Start(std::shared_ptr<Connection> connection) {
  connections_.insert(connection);
  UpdateSize();
  connection->Start();
}

void ConnectionManager::UpdateSize() {
  size_.store(connections_.size() + handshakes_.size(), std::memory_order_relaxed);
  if (empty() && on_empty_) on_empty_();
}

void ConnectionManager::DrainAll() {
  // Copies: a connection may close, and leave its set, inside Drain().
  const std::vector<std::shared_ptr<ProxyHandshake>> handshakes(handshakes_.begin(),
                                                                handshakes_.end());
  for (const auto& h : handshakes) h->Stop();
  const std::vector<std::shared_ptr<Connection>> connections(connections_.begin(),
                                                             connections_.end());
  for (const auto& c : connections) c->Drain();
}

void ConnectionManager::ReleaseSlot() { --metrics_->connections_open; }

void ConnectionManager::Stop(const std::shared_ptr<Connection>& connection) {
  if (connections_.erase(connection) == 0) return;
  UpdateSize();
}

}  // namespace fibpool::supervisor
