#include "bench/completion_rate.h"

#include <algorithm>
#include <iterator>

namespace fibpool::bench {

double CompletionsBy(const std::vector<std::int64_t>& times_ns, std::int64_t t_ns) {
  if (t_ns <= 0) return 0;
  const auto next = std::upper_bound(times_ns.begin(), times_ns.end(), t_ns);
  const auto done = static_cast<double>(next - times_ns.begin());
  if (next == times_ns.end()) return done;
  const std::int64_t previous = next == times_ns.begin() ? 0 : *std::prev(next);
  // previous <= t_ns < *next, so the gap is never empty.
  return done + static_cast<double>(t_ns - previous) / static_cast<double>(*next - previous);
}

double CompletionsBetween(const std::vector<std::int64_t>& times_ns, std::int64_t from_ns,
                          std::int64_t to_ns) {
  return CompletionsBy(times_ns, to_ns) - CompletionsBy(times_ns, from_ns);
}

}  // namespace fibpool::bench
