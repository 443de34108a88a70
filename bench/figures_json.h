// One target's Figures as the JSON report gives them (bench/plot.py and
// bench/scaling.py read these keys): rate, counts, latency percentiles,
// per-slice rates, the timeline, CPU time and the first error. Pure.
#pragma once

#include <boost/json.hpp>

#include "bench/scenario_result.h"

namespace fibpool::bench {

boost::json::object FiguresJson(const Figures& f);

}  // namespace fibpool::bench
