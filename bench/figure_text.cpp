#include "bench/figure_text.h"

#include <cmath>

namespace fibpool::bench {

std::string Thousands(double v) {
  const auto n = static_cast<long long>(std::llround(v));
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

std::string Duration(double us) {
  if (us < 1000) return Fixed(us, us < 100 ? 1 : 0) + " µs";
  if (us < 1e6) return Fixed(us / 1e3, us < 1e4 ? 2 : 1) + " ms";
  return Fixed(us / 1e6, 2) + " s";
}

std::string Duration(const LatencySamples::Percentile& p) {
  return (p.lower_bound ? "≥ " : "") + Duration(p.us);
}

std::string Ratio(double num, double den) {
  if (den <= 0 || num < 0) return "n/a";
  const double r = num / den;
  if (r > 0 && r < 0.1) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2gx", r);
    return buf;
  }
  return Fixed(r, 2) + "x";
}

std::string PerSecond(double rate) { return Fixed(rate, 2) + "/s"; }

std::string PerAnswer(double seconds, std::uint64_t answers) {
  if (answers == 0) return "-";
  return Fixed(seconds * 1e6 / static_cast<double>(answers), 1);
}

}  // namespace fibpool::bench
