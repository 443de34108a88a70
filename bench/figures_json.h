// One target's Figures as the JSON report gives them (bench/plot.py and
// bench/scaling.py read these keys): rate, counts, latency percentiles,
// per-slice rates, the timeline, CPU time and the first error; and one
// target's figures of the articles scenario: perf2's counts and median in
// each phase, their ratios to perf2 alone, the big job's answer. Pure.
#pragma once

#include <boost/json.hpp>

#include "bench/scenario_result.h"

namespace fibpool::bench {

boost::json::object FiguresJson(const Figures& f);

// "right", "wrong", "not awaited", "not sent".
const char* BigAnswerName(ArticlesFigures::BigAnswer answer);
boost::json::object ArticlesFiguresJson(const ArticlesFigures& a);

}  // namespace fibpool::bench
