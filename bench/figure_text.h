// How the bench prints a figure: fixed decimals, thousands, durations,
// ratios, mebibytes. Pure.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "bench/latency_samples.h"

namespace fibpool::bench {

inline std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// "12.3 MiB"
inline std::string Mib(double bytes) { return Fixed(bytes / (1 << 20), 1) + " MiB"; }

// 12345.6 -> "12,346"
std::string Thousands(double v);
// Microseconds as "42.0 µs", "420 µs", "4.20 ms", "42.0 ms", "4.20 s".
std::string Duration(double us);
// The same, "≥ " first when the percentile is a lower bound.
std::string Duration(const LatencySamples::Percentile& p);
// num / den as "0.80x" ("0.012x" under 0.1); "n/a" when den <= 0 or num < 0.
std::string Ratio(double num, double den);
// "4.00/s"
std::string PerSecond(double rate);
// Microseconds of `seconds` per answer, "1.5"; "-" for no answers.
std::string PerAnswer(double seconds, std::uint64_t answers);

}  // namespace fibpool::bench
