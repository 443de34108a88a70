// Reading fibpool's log (ServerProcess::Log(), a `key=value` line per event)
// in tests. Header-only, pure.
#pragma once

#include <string>

namespace fibpool::testing {

// The first log line holding `needle`, without its LF; empty when there is none.
inline std::string LogLineWith(const std::string& log, const std::string& needle) {
  const auto at = log.find(needle);
  if (at == std::string::npos) return {};
  const auto start = log.rfind('\n', at) + 1;  // npos + 1 == 0
  return log.substr(start, log.find('\n', at) - start);
}

}  // namespace fibpool::testing
