#include "supervisor/protocol/duration_text.h"

#include <array>
#include <cstdio>

namespace fibpool::supervisor {

std::string LimitText(std::chrono::milliseconds limit) {
  const auto ms = limit.count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

std::string EstimateText(std::uint64_t nanos) {
  struct Unit {
    double nanos;
    const char* name;
  };
  static constexpr std::array<Unit, 8> kUnits = {{{1, "ns"},
                                                  {1e3, "us"},
                                                  {1e6, "ms"},
                                                  {1e9, "s"},
                                                  {60e9, "min"},
                                                  {3600e9, "h"},
                                                  {86400e9, "days"},
                                                  {365.25 * 86400e9, "years"}}};
  const double value = static_cast<double>(nanos);
  std::size_t u = 0;
  while (u + 1 < kUnits.size() && value >= kUnits[u + 1].nanos) ++u;
  char text[64];
  std::snprintf(text, sizeof text, "%.3g %s", value / kUnits[u].nanos, kUnits[u].name);
  return text;
}

}  // namespace fibpool::supervisor
