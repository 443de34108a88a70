#include "supervisor/metrics/metrics.h"

namespace fibpool::supervisor {

LatencyWindow::Percentiles LatencyWindow::Compute() const {
  Percentiles p;
  p.count = window_.count();
  const std::vector<double> sorted = window_.Sorted();
  if (sorted.empty()) return p;
  const auto us = [&](double q) { return SampleWindow::Quantile(sorted, q) / 1000.0; };
  p.p50_us = us(0.50);
  p.p90_us = us(0.90);
  p.p99_us = us(0.99);
  p.max_us = sorted.back() / 1000.0;
  return p;
}

}  // namespace fibpool::supervisor
