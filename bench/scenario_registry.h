// The one list of fibpool-bench's scenarios (soak aside: it runs alone,
// bench/soak_scenario.h), in the order they run. Selection by id or group,
// the --help text, the progress estimate and the run all come from it.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "bench/bench_options.h"
#include "bench/bench_servers.h"
#include "bench/scenario.h"
#include "bench/scenario_result.h"

namespace fibpool::bench {

// Every scenario, in the order they run. Lives as long as the program.
const std::vector<const Scenario*>& AllScenarios();
// Their ids, in that order.
std::vector<std::string> AllScenarioIds();
// Expands ids and groups ("all" for every scenario; empty: all) into the
// scenarios they name, in the registry's order, each once; throws
// std::invalid_argument on an unknown name.
std::vector<const Scenario*> SelectScenarios(const std::vector<std::string>& names);
// "Scenarios: tiny-1, ...; groups: all, tiny, ...": for --help.
std::string ScenarioHelp();
// Scenario `id`'s estimate with `options` (Scenario::EstimatedDuration); 0
// for an unknown id.
std::chrono::milliseconds EstimatedDuration(const std::string& id, const BenchOptions& options);
// "1 min 5 s", "42 s".
std::string RemainingText(std::chrono::milliseconds left);
// Runs the scenarios BenchServers::options() select, one after the other,
// with a progress line before each (its number and about how long is left).
std::vector<ScenarioResult> RunScenarios(BenchServers& servers);

}  // namespace fibpool::bench
