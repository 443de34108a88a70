#include "supervisor/metrics/sample_window.h"

#include <algorithm>

namespace fibpool::supervisor {

void SampleWindow::Record(double value) {
  if (samples_.size() < kCapacity) {
    samples_.push_back(value);
  } else {
    samples_[next_] = value;
  }
  next_ = (next_ + 1) % kCapacity;
  ++count_;
}

std::vector<double> SampleWindow::Sorted() const {
  std::vector<double> sorted = samples_;
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

double SampleWindow::Quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const auto i = static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[i];
}

}  // namespace fibpool::supervisor
