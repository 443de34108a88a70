// What `stats`, /stats.json and /metrics say about the supervisor process
// itself, gathered by the server when a report is asked for.
#pragma once

#include <chrono>
#include <string_view>

#include "supervisor/process_stat.h"

namespace fibpool::supervisor {

struct ProcessInfo {
  std::string_view version = FIBPOOL_VERSION;
  double start_time_s = 0;  // Unix time the process started (ProcessStartTimeSeconds)
  std::chrono::steady_clock::duration uptime{};
  int metrics_port = -1;  // the HTTP metrics port, or -1 when it is off
  ProcessUsage usage;     // read for /metrics only (ReadProcessUsage); zeros elsewhere
};

}  // namespace fibpool::supervisor
