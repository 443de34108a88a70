// The report's parts that belong to one scenario family: the noisy
// neighbour's table of phases (report_noisy.cpp), the admission scenario's
// table of phases and CPU lines (report_admission.cpp), in Markdown and in
// JSON, and the articles scenario's table (report_articles.cpp; its JSON is
// figures_json.h's). Pure; throws only std::bad_alloc.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "bench/scenario_result.h"

namespace fibpool::bench {

// The noisy-neighbour figures beyond a target's main and background rows,
// each with the role the report names it by ("B big", "service, alone").
std::vector<std::pair<std::string, const Figures*>> NeighbourRows(const NeighbourFigures& n);
// "### Noisy neighbour" and its table: one row per target that ran it.
std::string NoisyMarkdown(const ScenarioResult& r);
boost::json::object NeighbourJson(const NeighbourFigures& n);

// The admission scenario's headline: each phase's p99 wait of its answered
// jobs ("8.00 s (max_wait off); 1.20 s (max_wait 1 s)"); "-" when no phase ran.
std::string AdmissionWaits(const ScenarioResult& r);
// "### Admission", its table of phases and what the workers got of the CPU.
std::string AdmissionMarkdown(const ScenarioResult& r);
boost::json::array AdmissionJson(const std::vector<AdmissionPhase>& phases);

// "### The articles' perf1/perf2" and its table: one row per target that ran
// it; empty when none did.
std::string ArticlesMarkdown(const ScenarioResult& r);

}  // namespace fibpool::bench
