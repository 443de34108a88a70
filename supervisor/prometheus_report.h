// The Prometheus text exposition (format 0.0.4) of the supervisor's state,
// served at /metrics: the same numbers `stats` reports, as metrics.
#pragma once

#include <string>

#include "supervisor/metrics.h"
#include "supervisor/worker_pool.h"

namespace fibpool::supervisor {

std::string PrometheusText(const PoolSnapshot& pool, const Metrics& metrics);

}  // namespace fibpool::supervisor
