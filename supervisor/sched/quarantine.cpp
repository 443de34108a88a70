#include "supervisor/sched/quarantine.h"

#include <algorithm>

namespace fibpool::supervisor {

Quarantine::Quarantine(std::chrono::nanoseconds period, std::size_t capacity)
    : period_ns_(static_cast<std::uint64_t>(period.count())), capacity_(capacity) {}

void Quarantine::SetPeriod(std::chrono::nanoseconds period) {
  period_ns_ = static_cast<std::uint64_t>(period.count());
}

void Quarantine::Expire(std::uint64_t now_ns) {
  while (!order_.empty() &&
         (order_.front().second + period_ns_ <= now_ns || added_.size() > capacity_)) {
    added_.erase(order_.front().first);
    order_.pop_front();
  }
}

void Quarantine::Add(ipc::Algorithm algorithm, std::uint64_t n, std::uint64_t now_ns) {
  if (capacity_ == 0) return;
  Expire(now_ns);
  const Key key{algorithm, n};
  if (!added_.emplace(key, now_ns).second) return;  // held already: its period stands
  order_.emplace_back(key, now_ns);
  Expire(now_ns);
}

bool Quarantine::Holds(ipc::Algorithm algorithm, std::uint64_t n, std::uint64_t now_ns,
                       std::chrono::nanoseconds* left) {
  Expire(now_ns);
  const auto it = added_.find(Key{algorithm, n});
  if (it == added_.end()) return false;
  if (left != nullptr) *left = std::chrono::nanoseconds(it->second + period_ns_ - now_ns);
  return true;
}

std::size_t Quarantine::Held(std::uint64_t now_ns) const {
  // Times ascend in order_ and one period applies to all: the held ones are a suffix.
  const auto first_held =
      std::partition_point(order_.begin(), order_.end(), [this, now_ns](const auto& entry) {
        return entry.second + period_ns_ <= now_ns;
      });
  return static_cast<std::size_t>(order_.end() - first_held);
}

}  // namespace fibpool::supervisor
