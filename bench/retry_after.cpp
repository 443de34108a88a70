#include "bench/retry_after.h"

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

}  // namespace fibpool::bench
