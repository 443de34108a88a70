// A Prometheus-style histogram over fixed upper bounds: counts per bucket,
// read back cumulatively (le), plus the count and sum of every sample. A
// sample above the last bound counts only in +Inf (count()).
//
// The bounds are a span over storage of static lifetime (a constexpr array),
// never copied. Not thread-safe: owned by the supervisor's event loop.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace fibpool::supervisor {

class Histogram {
 public:
  // `bounds`: ascending.
  explicit Histogram(std::span<const double> bounds)
      : bounds_(bounds), buckets_(bounds.size(), 0) {}

  void Observe(double value);
  std::span<const double> bounds() const { return bounds_; }
  // Count of samples <= bounds()[i] (cumulative).
  std::uint64_t CumulativeCount(std::size_t i) const;
  std::uint64_t count() const { return count_; }
  double sum() const { return sum_; }

 private:
  std::span<const double> bounds_;
  std::vector<std::uint64_t> buckets_;  // per bucket, not cumulative
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

// Durations, recorded in nanoseconds and exported in seconds.
class DurationHistogram : public Histogram {
 public:
  static constexpr std::array<double, 12> kBoundsSeconds = {
      0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30};
  DurationHistogram() : Histogram(kBoundsSeconds) {}
  void Record(std::uint64_t nanos) { Observe(static_cast<double>(nanos) / 1e9); }
  double sum_seconds() const { return sum(); }
};

}  // namespace fibpool::supervisor
