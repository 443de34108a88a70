// The one-line JSON answer to `stats` (PROTOCOL.md): the pool's workers and
// queues, the counters, and latency percentiles.
#pragma once

#include <chrono>
#include <string>

#include "supervisor/metrics.h"
#include "supervisor/worker_pool.h"

namespace fibpool::supervisor {

// Without the trailing LF.
std::string StatsJson(const PoolSnapshot& pool, const Metrics& metrics,
                      std::chrono::steady_clock::duration uptime);

}  // namespace fibpool::supervisor
