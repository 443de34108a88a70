#include "bench/perf2_counts.h"

#include <charconv>

#include "bench/soak_sample.h"

namespace fibpool::bench {

std::optional<std::uint64_t> ParsePerSecondCount(std::string_view line) {
  constexpr std::string_view kUnit = " reqs/sec";
  if (!line.ends_with(kUnit)) return std::nullopt;
  line.remove_suffix(kUnit.size());
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), n);
  if (line.empty() || ec != std::errc() || end != line.data() + line.size()) return std::nullopt;
  return n;
}

std::optional<double> MedianAfterFirst(const std::vector<std::uint64_t>& counts) {
  if (counts.size() < 2) return std::nullopt;
  return NearestRank(std::vector<double>(counts.begin() + 1, counts.end()), 0.5);
}

}  // namespace fibpool::bench
