#include "bench/latency_samples.h"

#include <algorithm>
#include <cmath>

namespace fibpool::bench {

void LatencySamples::Push(Sample sample) {
  if (samples_.size() >= kMaxSamples) {
    ++dropped_;
    return;
  }
  samples_.push_back(sample);
  if (sample.censored) ++censored_;
}

void LatencySamples::Add(std::int64_t nanos) { Push({std::max<std::int64_t>(nanos, 0), false}); }

void LatencySamples::AddCensored(std::int64_t nanos) {
  Push({std::max<std::int64_t>(nanos, 0), true});
}

void LatencySamples::Merge(const LatencySamples& other) {
  for (const Sample& s : other.samples_) Push(s);
  dropped_ += other.dropped_;
}

LatencySamples::Summary LatencySamples::Summarize() const {
  Summary s;
  s.count = samples_.size();
  s.censored = censored_;
  s.dropped = dropped_;
  if (samples_.empty()) return s;
  std::vector<Sample> sorted = samples_;
  // Censored samples are lower bounds: they sort by what they had waited, and
  // a percentile that lands on one is flagged.
  std::sort(sorted.begin(), sorted.end(),
            [](const Sample& a, const Sample& b) { return a.nanos < b.nanos; });
  const auto at = [&sorted](double q) {
    // Nearest rank: the smallest sample with at least q of the samples at or below it.
    const auto n = static_cast<double>(sorted.size());
    auto rank = static_cast<std::size_t>(std::ceil(q * n));
    rank = std::clamp<std::size_t>(rank, 1, sorted.size());
    const Sample& x = sorted[rank - 1];
    // Any censored sample at or below this rank could really be above it.
    bool lower = x.censored;
    if (!lower) {
      for (std::size_t i = 0; i < rank && !lower; ++i) lower = sorted[i].censored;
    }
    return Percentile{static_cast<double>(x.nanos) / 1e3, lower};
  };
  s.p50 = at(0.50);
  s.p90 = at(0.90);
  s.p99 = at(0.99);
  s.min_us = static_cast<double>(sorted.front().nanos) / 1e3;
  s.max = Percentile{static_cast<double>(sorted.back().nanos) / 1e3, censored_ > 0};
  double sum = 0;
  std::uint64_t answered = 0;
  for (const Sample& x : sorted) {
    if (x.censored) continue;
    sum += static_cast<double>(x.nanos);
    ++answered;
  }
  s.mean_us = answered ? sum / static_cast<double>(answered) / 1e3 : 0;
  return s;
}

}  // namespace fibpool::bench
