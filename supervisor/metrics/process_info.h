// What `stats`, /stats.json and /metrics say about the supervisor process
// itself, gathered by the server when a report is asked for.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "supervisor/metrics/process_stat.h"

namespace fibpool::supervisor {

struct ProcessInfo {
  std::string_view version = FIBPOOL_VERSION;
  double start_time_s = 0;  // Unix time the process started (ProcessStartTimeSeconds)
  std::chrono::steady_clock::duration uptime{};
  int metrics_port = -1;              // the HTTP metrics port, or -1 when it is off
  int agent_port = -1;                // the agent-check port as bound, or -1 when it is off
  std::size_t connections_limit = 0;  // max_connections, or less when open files are short
  std::uint64_t open_file_limit = 0;  // the soft RLIMIT_NOFILE; UINT64_MAX: unlimited
  ProcessUsage usage;                 // read for /metrics only (ReadProcessUsage); zeros elsewhere
  int pid = 0;                        // the supervisor's pid (a binary upgrade changes it)
  bool draining = false;              // a drain has begun (SIGTERM, SIGINT, an upgrade's handover)
};

}  // namespace fibpool::supervisor
