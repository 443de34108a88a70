// The Prometheus text exposition (format 0.0.4) of the supervisor's state,
// served at /metrics: the same numbers `stats` reports, as metrics.
#pragma once

#include <string>

#include "supervisor/metrics/metrics.h"
#include "supervisor/metrics/process_info.h"
#include "supervisor/pool/worker_pool.h"

namespace fibpool::supervisor {

std::string PrometheusText(const PoolSnapshot& pool, const Metrics& metrics,
                           const ProcessInfo& process);

// A sample value as Prometheus reads it: the shortest text that reads back
// as the same double (0.1, not 0.10000000000000001), as a plain decimal
// while that takes at most 24 characters (0.0001, not 1e-04), +Inf, -Inf,
// NaN.
std::string PrometheusNumber(double value);

}  // namespace fibpool::supervisor
