// How much slower (factor > 1) or faster (< 1) this machine runs each
// algorithm than the reference machine the cost model was fitted on
// (cost_model.h), learned from what finished jobs cost: the CPU time their
// worker measured. Estimates scaled by it hold on a faster or slower machine,
// for the backlog's order, the lanes' load and admission (admission.h).
//
// The factor of an algorithm starts at 1 and moves, per job, towards that
// job's measured/estimated ratio: an exponentially weighted moving average
// in log space (so 2x slower and 2x faster weigh the same), with weight
// kWeight. A job's ratio is clamped to [1/kMaxRatio, kMaxRatio] first, so one
// outlier (a job stopped in a debugger, a page-faulting storm) moves the
// factor by at most kMaxRatio^kWeight, and the factor stays within the same
// bounds. Jobs estimated below kMinLearnNanos teach nothing: their cost is
// mostly fixed overhead and the clock's resolution, not the algorithm, and
// they are many.
//
// Pure: no clock, no I/O. Not thread-safe: owned by the supervisor's event
// loop.
#pragma once

#include <array>
#include <cstdint>

#include "ipc/job.h"

namespace fibpool::supervisor {

class CostCorrection {
 public:
  static constexpr double kWeight = 0.1;
  static constexpr double kMaxRatio = 8;
  static constexpr std::uint64_t kMinLearnNanos = 1'000'000;

  // Whether a job estimated at `reference_ns` on the reference machine is
  // big enough to teach anything (and to judge the model by).
  static bool Teaches(std::uint64_t reference_ns) { return reference_ns >= kMinLearnNanos; }
  // `reference_ns` (EstimatedCostNanos) times the algorithm's factor.
  std::uint64_t Apply(ipc::Algorithm algorithm, std::uint64_t reference_ns) const;
  // A job estimated at `reference_ns` on the reference machine took
  // `measured_ns` here.
  void Learn(ipc::Algorithm algorithm, std::uint64_t reference_ns, std::uint64_t measured_ns);
  double factor(ipc::Algorithm algorithm) const;

 private:
  std::array<double, ipc::kAlgorithmCount> log_factor_{};  // by ipc::AlgorithmIndex()
};

}  // namespace fibpool::supervisor
