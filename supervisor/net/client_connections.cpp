#include "supervisor/net/client_connections.h"


namespace fibpool::supervisor {

ClientConnections::Slot::Slot(Slot&& other) noexcept
    : owner_(other.owner_), entry_(std::move(other.entry_)) {}

ClientConnections::Slot& ClientConnections::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    Release();
    owner_ = other.owner_;
    entry_ = std::move(other.entry_);
  }
  return *this;
}

void ClientConnections::Slot::OnIdleClose(std::function<void()> close) {
  if (!entry_) return;
  const std::lock_guard lock(owner_->mutex_);
  entry_->close = std::move(close);
}

void ClientConnections::Slot::SetIdle(bool idle) {
  if (entry_) entry_->idle.store(idle, std::memory_order_relaxed);
}

bool ClientConnections::Slot::Claim(const std::string& address) {
  if (!entry_) return true;
  const std::lock_guard lock(owner_->mutex_);
  Entry& entry = *entry_;
  if (!entry.counted || entry.address == address) return true;
  if (!owner_->quota_.MayClaim(address)) {
    owner_->LogRefusal(BusyReason::kConnectionsPerClient, address);
    owner_->Uncount(entry);
    return false;
  }
  owner_->Uncount(entry);  // from "" (or an earlier address) ...
  entry.counted = true;    // ... to `address`
  entry.address = address;
  owner_->quota_.Add(address);
  owner_->members_[address].insert(&entry);
  return true;
}

void ClientConnections::Slot::Release() {
  if (!entry_) return;
  {
    const std::lock_guard lock(owner_->mutex_);
    owner_->Uncount(*entry_);
  }
  entry_.reset();
}

ClientConnections::ClientConnections(ConnectionQuota::Limits limits, Metrics* metrics)
    : quota_(limits), metrics_(metrics) {}

std::optional<ClientConnections::Slot> ClientConnections::Admit(const std::string& address,
                                                                const std::string& peer,
                                                                BusyReason* reason) {
  std::function<void()> close;
  std::shared_ptr<Entry> entry;
  {
    const std::lock_guard lock(mutex_);
    ConnectionQuota::Decision decision = quota_.Decide(address);
    if (decision.verdict == ConnectionQuota::Verdict::kEvictIdleOfHeaviest) {
      close = TakeIdle(decision.heaviest);
      if (!close) decision.verdict = ConnectionQuota::Verdict::kRefuse;
    }
    if (decision.verdict == ConnectionQuota::Verdict::kRefuse) {
      *reason = decision.reason;
      LogRefusal(decision.reason, peer);
      return std::nullopt;
    }
    if (close && log_.evicted) log_.evicted(decision.heaviest, peer);
    entry = std::make_shared<Entry>();
    entry->address = address;
    quota_.Add(address);
    members_[address].insert(entry.get());
  }
  if (close) close();
  return Slot(this, std::move(entry));
}

std::size_t ClientConnections::open() const {
  const std::lock_guard lock(mutex_);
  return quota_.open();
}

std::size_t ClientConnections::CountOf(const std::string& address) const {
  const std::lock_guard lock(mutex_);
  return quota_.CountOf(address);
}

void ClientConnections::Uncount(Entry& entry) {
  if (!entry.counted) return;
  entry.counted = false;
  quota_.Remove(entry.address);
  const auto it = members_.find(entry.address);
  if (it == members_.end()) return;
  it->second.erase(&entry);
  if (it->second.empty()) members_.erase(it);
}

std::function<void()> ClientConnections::TakeIdle(const std::string& address) {
  const auto it = members_.find(address);
  if (it == members_.end()) return {};
  for (Entry* entry : it->second) {
    if (!entry->close || !entry->idle.load(std::memory_order_relaxed)) continue;
    std::function<void()> close = entry->close;
    Uncount(*entry);  // invalidates `it`
    return close;
  }
  return {};
}

void ClientConnections::LogRefusal(BusyReason reason, const std::string& peer) {
  ++metrics_->connections_refused;
  metrics_->CountBusy(reason);
  if (log_.refused) log_.refused(reason, peer);
}

}  // namespace fibpool::supervisor
