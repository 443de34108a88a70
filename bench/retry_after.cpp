#include "bench/retry_after.h"

#include <algorithm>
#include <charconv>

namespace fibpool::bench {

namespace {
constexpr std::string_view kPrefix = "ERR busy retry_after=";
}  // namespace

std::optional<unsigned> ParseRetryAfter(std::string_view answer) {
  if (!answer.empty() && answer.back() == '\n') answer.remove_suffix(1);
  if (answer.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  const std::string_view digits = answer.substr(kPrefix.size());
  if (digits.empty() || digits.front() < '1' || digits.front() > '9') return std::nullopt;
  unsigned s = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), s);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return s;
}

std::map<unsigned, std::uint64_t> RetryAfterCounts(const std::vector<unsigned>& values) {
  std::map<unsigned, std::uint64_t> counts;
  for (unsigned s : values) ++counts[s];
  return counts;
}

std::string RetryAfterText(const std::vector<unsigned>& values) {
  std::string out;
  for (const auto& [s, n] : RetryAfterCounts(values)) {
    out += (out.empty() ? "" : ", ") + std::to_string(s) + " s: " + std::to_string(n);
  }
  return out.empty() ? "-" : out;
}

std::map<unsigned, LatencySamples> WaitAfterRefusal(const std::vector<RefusalSeen>& refusals,
                                                    std::vector<AcceptedJob> accepted) {
  std::sort(accepted.begin(), accepted.end(),
            [](const AcceptedJob& a, const AcceptedJob& b) { return a.sent_ns < b.sent_ns; });
  std::map<unsigned, LatencySamples> out;
  for (const RefusalSeen& r : refusals) {
    const auto next =
        std::lower_bound(accepted.begin(), accepted.end(), r.at_ns,
                         [](const AcceptedJob& a, std::int64_t at) { return a.sent_ns < at; });
    if (next != accepted.end()) out[r.s].Add(next->wait_ns);
  }
  return out;
}

}  // namespace fibpool::bench
