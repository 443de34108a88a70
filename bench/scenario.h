// One scenario of fibpool-bench: a load run against the servers measured
// (bench_servers.h), whose figures go into the report. Every scenario is
// listed once, in bench/scenario_registry.cpp; each family of them (the load
// scenarios, busy, big results, timeline, the articles' clients, noisy
// neighbour, admission) is defined in a file of its own under
// bench/scenarios/.
//
// A scenario holds no state between runs: Run may be called again. Failure:
// a run that goes wrong (wrong answers, a failed connection, a server that
// cannot be started) is recorded in the result (Figures::first_error, notes);
// Run throws std::runtime_error only when a server it restarts or starts for
// itself cannot be started (the stalled baseline, the timeline's Python
// servers, the articles scenario's minimal reference).
#pragma once

#include <chrono>
#include <string>

#include "bench/bench_options.h"
#include "bench/bench_servers.h"
#include "bench/scenario_result.h"

namespace fibpool::bench {

class Scenario {
 public:
  virtual ~Scenario() = default;

  // What --scenario names it by, and the group that selects it with others
  // of its family ("tiny-8" in "tiny").
  virtual std::string id() const = 0;
  virtual std::string group() const = 0;
  // How long it takes with `options` on the reference machine (windows,
  // warm-ups, waits), for the progress lines' "left".
  virtual std::chrono::milliseconds EstimatedDuration(const BenchOptions& options) const = 0;
  // Runs it against `servers` (BenchServers::options() are the knobs) and
  // returns what it measured, titled for the report.
  virtual ScenarioResult Run(BenchServers& servers) const = 0;
};

}  // namespace fibpool::bench
