#include "supervisor/metrics/histogram.h"

#include <algorithm>

namespace fibpool::supervisor {

void Histogram::Observe(double value) {
  ++count_;
  sum_ += value;
  const auto bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value);
  if (bucket != bounds_.end()) ++buckets_[static_cast<std::size_t>(bucket - bounds_.begin())];
}

std::uint64_t Histogram::CumulativeCount(std::size_t i) const {
  std::uint64_t total = 0;
  for (std::size_t b = 0; b <= i && b < buckets_.size(); ++b) total += buckets_[b];
  return total;
}

}  // namespace fibpool::supervisor
