#include "supervisor/sched/cost_model.h"

#include <algorithm>
#include <cmath>

namespace fibpool::supervisor {

namespace {
// Fitted on the reference machine (2-core VM, GCC -O3): recursive F(38) takes
// about 50 ms and F(40) 120 ms; fast F(10^6) about 10 ms, F(10^7) about
// 0.2 s and F(10^8) about 3 s with its decimal conversion.
constexpr double kNanosPerCall = 0.6;
constexpr double kNanosPerBitLog = 1.0;
constexpr double kFixedNanos = 2'000;  // the hop itself
}  // namespace

std::uint64_t EstimatedCostNanos(ipc::Algorithm algorithm, std::uint64_t n) {
  double cost = kFixedNanos;
  if (algorithm == ipc::Algorithm::kRecursive) {
    cost += kNanosPerCall * std::pow(1.618033988749895, static_cast<double>(n));
  } else {
    const double bits = 0.6942419 * static_cast<double>(n);  // log2(phi) * n
    cost += kNanosPerBitLog * bits * std::log2(bits + 2.0);
  }
  return static_cast<std::uint64_t>(std::min(cost, 1e18));
}

JobSize SizeOf(std::uint64_t cost_ns) {
  return cost_ns > kBigJobNanos ? JobSize::kBig : JobSize::kCheap;
}

std::uint64_t EstimatedAnswerBytes(ipc::Algorithm algorithm, std::uint64_t n) {
  if (algorithm == ipc::Algorithm::kRecursive) return 21;
  // log10(phi) = 0.20899: F(n) has about 0.209 n digits.
  return static_cast<std::uint64_t>(0.20899 * static_cast<double>(n)) + 2;
}

}  // namespace fibpool::supervisor
