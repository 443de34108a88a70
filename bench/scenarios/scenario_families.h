// Each scenario family's scenarios, in the order they run: what
// bench/scenario_registry.cpp lists. One function per file of
// bench/scenarios/.
#pragma once

#include <memory>
#include <vector>

#include "bench/scenario.h"

namespace fibpool::bench {

using ScenarioList = std::vector<std::unique_ptr<const Scenario>>;

// A family of one scenario, S.
template <class S>
ScenarioList OneScenario() {
  ScenarioList list;
  list.push_back(std::make_unique<S>());
  return list;
}

// load.cpp: tiny-1, tiny-8, tiny-8x16 (group tiny); rec30-1, -2, -4, -8
// (group recursive). Against the per-core baseline too.
ScenarioList LoadScenarios();
// busy.cpp: busy, tiny jobs while every worker runs a big job.
ScenarioList BusyScenarios();
// big.cpp: big-1e7, big-1e8, one big result end to end (group big).
ScenarioList BigScenarios();
// timeline.cpp: timeline, tiny answers per 100 ms while big jobs run.
ScenarioList TimelineScenarios();
// articles.cpp: articles, the articles' perf2.py alone, beside perf1.py and
// while a big job runs.
ScenarioList ArticlesScenarios();
// noisy.cpp: noisy, client A's backlog against client B.
ScenarioList NoisyScenarios();
// admission.cpp: admission, overload with max_wait off and on
// (bench/admission_scenario.h).
ScenarioList AdmissionScenarios();

}  // namespace fibpool::bench
