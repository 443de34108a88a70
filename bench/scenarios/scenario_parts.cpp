#include "bench/scenarios/scenario_parts.h"

#include "bench/request_set.h"

namespace fibpool::bench {

GroupSpec TinyJobs(unsigned connections, unsigned depth) {
  GroupSpec tiny;
  tiny.name = "tiny";
  tiny.connections = connections;
  tiny.depth = depth;
  tiny.requests = TinyRequests();
  return tiny;
}

GroupSpec BigJobs(const std::string& job, unsigned connections) {
  GroupSpec big;
  big.name = "big";
  big.connections = connections;
  big.requests = {ParseJob(job)};
  big.max_requests_per_connection = 1;
  big.record_all_latency = true;
  return big;
}

ScenarioResult WithBackground(std::string id, std::string title, ScenarioResult::Measure measure) {
  ScenarioResult res;
  res.id = std::move(id);
  res.title = std::move(title);
  res.measure = measure;
  res.has_background = true;
  res.fibpool.label = res.fibpool_background.label = "fibpool";
  res.baseline.label = res.baseline_background.label = "baseline";
  return res;
}

}  // namespace fibpool::bench
