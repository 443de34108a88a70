// What `stats`, /stats.json and /metrics say about the supervisor process
// itself, gathered by the server when a report is asked for.
#pragma once

#include <chrono>
#include <string_view>

namespace fibpool::supervisor {

struct ProcessInfo {
  std::string_view version = FIBPOOL_VERSION;
  double start_time_s = 0;  // Unix time the process started (ProcessStartTimeSeconds)
  std::chrono::steady_clock::duration uptime{};
  int metrics_port = -1;  // the HTTP metrics port, or -1 when it is off
  int pid = 0;            // the supervisor's pid (a binary upgrade changes it)
};

}  // namespace fibpool::supervisor
