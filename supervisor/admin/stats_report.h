// The one-line JSON answer to `stats` (docs/protocol.md), also served as
// /stats.json on the metrics port: the pool's workers (with the job each one
// runs and the CPU it used) and queues, the counters, latency percentiles,
// the settings in force, the version and the uptime.
#pragma once

#include <string>

#include "supervisor/config/config.h"
#include "supervisor/metrics/metrics.h"
#include "supervisor/metrics/process_info.h"
#include "supervisor/pool/worker_pool.h"

namespace fibpool::supervisor {

// Without the trailing LF.
std::string StatsJson(const PoolSnapshot& pool, const Metrics& metrics, const Config& config,
                      const ProcessInfo& process);

}  // namespace fibpool::supervisor
