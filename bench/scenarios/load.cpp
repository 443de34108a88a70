// The load scenarios: closed-loop (or pipelined) requests against fibpool,
// the baseline, the per-core baseline and the minimal reference, in slices
// that alternate the targets in an order reversed every round (ABCD DCBA),
// so that all see the same background noise of a shared machine. Measured
// in requests/s.
#include <utility>

#include "bench/figure_text.h"
#include "bench/request_set.h"
#include "bench/scenarios/scenario_families.h"
#include "bench/scenarios/scenario_parts.h"

namespace fibpool::bench {

namespace {

class LoadScenario : public NamedScenario {
 public:
  LoadScenario(std::string id, std::string group, std::string title, GroupSpec load)
      : NamedScenario(std::move(id), std::move(group)),
        title_(std::move(title)),
        load_(std::move(load)) {}

  std::chrono::milliseconds EstimatedDuration(const BenchOptions& o) const override {
    // fibpool, the baseline, the per-core baseline and the minimal
    // reference, or the one --only names.
    const int targets = o.only.empty() ? 4 : 1;
    return targets * static_cast<int>(o.rounds) * (o.slice + o.warmup);
  }

  ScenarioResult Run(BenchServers& servers) const override {
    const BenchOptions& options = servers.options();
    ScenarioResult res;
    res.id = id();
    res.title = title_;
    res.measure = ScenarioResult::Measure::kRate;
    res.fibpool.label = "fibpool";
    res.baseline.label = "baseline";
    res.per_core.label = "per-core";
    res.minimal.label = "minimal";
    const std::pair<BenchServers::Target*, Figures*> targets[] = {
        {&servers.baseline(), &res.baseline},
        {&servers.per_core(), &res.per_core},
        {&servers.minimal(), &res.minimal},
        {&servers.fibpool(), &res.fibpool}};
    for (unsigned round = 0; round < options.rounds; ++round) {
      // ABCD DCBA: the order is reversed every other round, so that over two
      // rounds every target has the same mean position.
      for (std::size_t k = 0; k < std::size(targets); ++k) {
        const auto [t, f] = targets[round % 2 == 0 ? k : std::size(targets) - 1 - k];
        if (!servers.Runs(*t)) continue;
        RunSpec spec;
        spec.groups = {load_};
        spec.warmup = options.warmup;
        spec.window = options.slice;
        spec.drain_cap = std::chrono::seconds(10);
        servers.RunSlice(*t, spec, f, nullptr);
        servers.Progress(id() + " round " + std::to_string(round + 1) + " " + t->label + ": " +
                         Fixed(f->per_slice.empty() ? 0 : f->per_slice.back(), 0) + " req/s");
      }
    }
    servers.Progress(id() + " fibpool:  " + ProgressSummary(res.fibpool));
    servers.Progress(id() + " baseline: " + ProgressSummary(res.baseline));
    servers.Progress(id() + " per-core: " + ProgressSummary(res.per_core));
    servers.Progress(id() + " minimal:  " + ProgressSummary(res.minimal));
    return res;
  }

 private:
  std::string title_;
  GroupSpec load_;
};

// `30 recursive` on `connections` closed-loop connections.
GroupSpec RecursiveJobs(unsigned connections) {
  GroupSpec g;
  g.name = "recursive";
  g.connections = connections;
  g.requests = {RecursiveRequest(30)};
  return g;
}

}  // namespace

ScenarioList LoadScenarios() {
  ScenarioList list;
  const auto add = [&list](std::string id, std::string group, std::string title, GroupSpec g) {
    list.push_back(std::make_unique<LoadScenario>(std::move(id), std::move(group), std::move(title),
                                                  std::move(g)));
  };
  add("tiny-1", "tiny", "tiny jobs (N <= 20 fast), 1 connection, closed loop", TinyJobs(1));
  add("tiny-8", "tiny", "tiny jobs, 8 connections, closed loop", TinyJobs(8));
  add("tiny-8x16", "tiny", "tiny jobs, 8 connections pipelining 16 deep", TinyJobs(8, 16));
  for (const unsigned k : {1u, 2u, 4u, 8u}) {
    add("rec30-" + std::to_string(k), "recursive",
        "`30 recursive`, " + std::to_string(k) + " connection" + (k > 1 ? "s" : "") +
            ", closed loop",
        RecursiveJobs(k));
  }
  return list;
}

}  // namespace fibpool::bench
