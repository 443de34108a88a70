// The last kCapacity samples of a value, for percentiles over recent traffic
// (job latency, the cost model's error). Memory is bounded by kCapacity
// whatever the traffic. Not thread-safe: owned by the supervisor's event loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fibpool::supervisor {

class SampleWindow {
 public:
  static constexpr std::size_t kCapacity = 4096;

  void Record(double value);
  // Samples ever recorded (not only those held).
  std::uint64_t count() const { return count_; }
  // The samples held, ascending: read percentiles off it with Quantile().
  std::vector<double> Sorted() const;
  // The q-quantile (0 <= q <= 1) of ascending `sorted`, by nearest rank;
  // 0 when it is empty.
  static double Quantile(const std::vector<double>& sorted, double q);

 private:
  std::vector<double> samples_;
  std::size_t next_ = 0;
  std::uint64_t count_ = 0;
};

}  // namespace fibpool::supervisor
