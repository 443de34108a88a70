#include "supervisor/net/connection_quota.h"

namespace fibpool::supervisor {

ConnectionQuota::Decision ConnectionQuota::Decide(const std::string& address) const {
  const std::size_t own = address.empty() ? 0 : CountOf(address);
  if (!address.empty() && !MayClaim(address)) {
    return {Verdict::kRefuse, BusyReason::kConnectionsPerClient, {}};
  }
  if (open_ < limits_.max_connections) return {Verdict::kAdmit, BusyReason::kConnections, {}};
  if (!address.empty() && !by_count_.empty() && own + 1 < by_count_.rbegin()->first) {
    return {Verdict::kEvictIdleOfHeaviest, BusyReason::kConnections, by_count_.rbegin()->second};
  }
  return {Verdict::kRefuse, BusyReason::kConnections, {}};
}

bool ConnectionQuota::MayClaim(const std::string& address) const {
  return CountOf(address) < limits_.max_per_client;
}

std::size_t ConnectionQuota::CountOf(const std::string& address) const {
  const auto it = counts_.find(address);
  return it == counts_.end() ? 0 : it->second;
}

void ConnectionQuota::Change(const std::string& address, std::size_t from, std::size_t to) {
  if (from > 0) by_count_.erase({from, address});
  if (to > 0) {
    by_count_.emplace(to, address);
    counts_[address] = to;
  } else {
    counts_.erase(address);
  }
}

void ConnectionQuota::Add(const std::string& address) {
  ++open_;
  if (address.empty()) return;
  const std::size_t n = CountOf(address);
  Change(address, n, n + 1);
}

void ConnectionQuota::Remove(const std::string& address) {
  if (open_ > 0) --open_;
  if (address.empty()) return;
  const std::size_t n = CountOf(address);
  if (n > 0) Change(address, n, n - 1);
}

}  // namespace fibpool::supervisor
