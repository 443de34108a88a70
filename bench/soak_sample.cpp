#include "bench/soak_sample.h"

#include <algorithm>
#include <cmath>

namespace fibpool::bench {

double NearestRank(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  const auto n = values.size();
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(n)));
  rank = std::clamp<std::size_t>(rank, 1, n);
  std::nth_element(values.begin(), values.begin() + static_cast<long>(rank - 1), values.end());
  return values[rank - 1];
}

}  // namespace fibpool::bench
