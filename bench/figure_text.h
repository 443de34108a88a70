// How the bench prints a figure: fixed decimals, mebibytes. Pure.
#pragma once

#include <cstdio>
#include <string>

namespace fibpool::bench {

inline std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// "12.3 MiB"
inline std::string Mib(double bytes) { return Fixed(bytes / (1 << 20), 1) + " MiB"; }

}  // namespace fibpool::bench
