#include "supervisor/sched/cost_correction.h"

#include <algorithm>
#include <cmath>

namespace fibpool::supervisor {

namespace {
// Estimates saturate here (as EstimatedCostNanos does), far below 2^64.
constexpr double kMaxEstimate = 1e18;
}  // namespace

double CostCorrection::factor(ipc::Algorithm algorithm) const {
  return std::exp(log_factor_[ipc::AlgorithmIndex(algorithm)]);
}

std::uint64_t CostCorrection::Apply(ipc::Algorithm algorithm, std::uint64_t reference_ns) const {
  const double scaled = static_cast<double>(reference_ns) * factor(algorithm);
  return static_cast<std::uint64_t>(std::min(scaled, kMaxEstimate));
}

void CostCorrection::Learn(ipc::Algorithm algorithm, std::uint64_t reference_ns,
                           std::uint64_t measured_ns) {
  if (!Teaches(reference_ns)) return;
  const double limit = std::log(kMaxRatio);
  // A measured 0 (a clock that did not tick) reads as the lowest ratio.
  const double ratio = std::log(std::max<double>(static_cast<double>(measured_ns), 1.0) /
                                static_cast<double>(reference_ns));
  double& f = log_factor_[ipc::AlgorithmIndex(algorithm)];
  f += kWeight * (std::clamp(ratio, -limit, limit) - f);
}

}  // namespace fibpool::supervisor
