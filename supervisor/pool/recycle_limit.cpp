#include "supervisor/pool/recycle_limit.h"

#include <algorithm>
#include <random>

namespace fibpool::supervisor {

std::uint64_t SpreadRecycleLimit(std::uint64_t limit, std::uint32_t cell, unsigned workers,
                                 double draw) {
  if (limit == 0) return 0;
  const unsigned lane = std::max(workers, 1u);
  const double spread = static_cast<double>(limit / 10);
  const double place = (static_cast<double>(cell % lane) + std::clamp(draw, 0.0, 1.0) / 2) / lane;
  return limit + static_cast<std::uint64_t>(spread * place);
}

double RecycleDraw() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

}  // namespace fibpool::supervisor
