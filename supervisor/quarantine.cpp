#include "supervisor/quarantine.h"

#include <algorithm>

namespace fibpool::supervisor {

Quarantine::Quarantine(std::chrono::nanoseconds period, std::size_t capacity)
    : period_ns_(static_cast<std::uint64_t>(period.count())), capacity_(capacity) {}

void Quarantine::Expire(std::uint64_t now_ns) {
  while (!order_.empty() && (order_.front().second <= now_ns || until_.size() > capacity_)) {
    until_.erase(order_.front().first);
    order_.pop_front();
  }
}

void Quarantine::Add(ipc::Algorithm algorithm, std::uint64_t n, std::uint64_t now_ns) {
  if (capacity_ == 0) return;
  Expire(now_ns);
  const Key key{algorithm, n};
  const std::uint64_t end = now_ns + period_ns_;
  if (!until_.emplace(key, end).second) return;  // held already: its period stands
  order_.emplace_back(key, end);
  Expire(now_ns);
}

bool Quarantine::Holds(ipc::Algorithm algorithm, std::uint64_t n, std::uint64_t now_ns,
                       std::chrono::nanoseconds* left) {
  Expire(now_ns);
  const auto it = until_.find(Key{algorithm, n});
  if (it == until_.end()) return false;
  if (left != nullptr) *left = std::chrono::nanoseconds(it->second - now_ns);
  return true;
}

std::size_t Quarantine::Held(std::uint64_t now_ns) const {
  // Ends ascend in order_: the held ones are a suffix.
  const auto first_held = std::partition_point(
      order_.begin(), order_.end(), [now_ns](const auto& entry) { return entry.second <= now_ns; });
  return static_cast<std::size_t>(order_.end() - first_held);
}

}  // namespace fibpool::supervisor
