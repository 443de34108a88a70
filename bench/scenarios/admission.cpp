// The admission scenario in the registry: AdmissionScenario
// (bench/admission_scenario.h) run with the bench's options, starting
// fibpools of its own the way the bench starts fibpool.
#include "bench/admission_scenario.h"
#include "bench/scenarios/scenario_families.h"
#include "bench/scenarios/scenario_parts.h"

namespace fibpool::bench {

namespace {

using std::chrono::milliseconds;

// About how long a fibpool takes to start.
constexpr milliseconds kFibpoolStartEstimate{500};

class AdmissionOverload : public NamedScenario {
 public:
  AdmissionOverload() : NamedScenario("admission", "admission") {}

  milliseconds EstimatedDuration(const BenchOptions& o) const override {
    // Two phases, each a fibpool start-up, the phase, and (max_wait off) the
    // clients' whole backlog draining on the workers.
    const auto backlog = o.admission_clients * o.admission_depth * kBigJobEstimate / o.workers;
    return 2 * (kFibpoolStartEstimate + o.admission_phase) + backlog;
  }

  ScenarioResult Run(BenchServers& servers) const override {
    return AdmissionScenario(servers.options(), FibpoolCommand(servers.options()),
                             [&servers](const std::string& line) { servers.Progress(line); })
        .Run();
  }
};

}  // namespace

ScenarioList AdmissionScenarios() { return OneScenario<AdmissionOverload>(); }

}  // namespace fibpool::bench
