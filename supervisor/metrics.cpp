#include "supervisor/metrics.h"

#include <algorithm>

namespace fibpool::supervisor {

void LatencyWindow::Record(std::uint64_t nanos) {
  if (samples_.size() < kCapacity) {
    samples_.push_back(nanos);
  } else {
    samples_[next_] = nanos;
  }
  next_ = (next_ + 1) % kCapacity;
  ++count_;
}

LatencyWindow::Percentiles LatencyWindow::Compute() const {
  Percentiles p;
  p.count = count_;
  if (samples_.empty()) return p;
  std::vector<std::uint64_t> sorted = samples_;
  std::sort(sorted.begin(), sorted.end());
  const auto at = [&](double q) {
    const auto i = static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5);
    return static_cast<double>(sorted[i]) / 1000.0;
  };
  p.p50_us = at(0.50);
  p.p90_us = at(0.90);
  p.p99_us = at(0.99);
  p.max_us = static_cast<double>(sorted.back()) / 1000.0;
  return p;
}

}  // namespace fibpool::supervisor

namespace fibpool::supervisor {

void DurationHistogram::Record(std::uint64_t nanos) {
  const double seconds = static_cast<double>(nanos) / 1e9;
  ++count_;
  sum_seconds_ += seconds;
  for (std::size_t i = 0; i < kBoundsSeconds.size(); ++i) {
    if (seconds <= kBoundsSeconds[i]) {
      ++buckets_[i];
      return;
    }
  }
}

std::uint64_t DurationHistogram::CumulativeCount(std::size_t i) const {
  std::uint64_t total = 0;
  for (std::size_t b = 0; b <= i && b < buckets_.size(); ++b) total += buckets_[b];
  return total;
}

}  // namespace fibpool::supervisor
