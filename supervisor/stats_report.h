// The one-line JSON answer to `stats` (docs/protocol.md): the pool's workers and
// queues, the counters, and latency percentiles.
#pragma once

#include <chrono>
#include <string>

#include "supervisor/metrics.h"
#include "supervisor/worker_pool.h"

namespace fibpool::supervisor {

// Without the trailing LF.
// metrics_port: the HTTP metrics port, or -1 when it is off.
std::string StatsJson(const PoolSnapshot& pool, const Metrics& metrics,
                      std::chrono::steady_clock::duration uptime, int metrics_port);

}  // namespace fibpool::supervisor
