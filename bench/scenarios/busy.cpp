// The busy scenario: one big job per worker, sent first on their own
// connections, then tiny jobs on 8 closed-loop connections; measured in the
// tiny jobs' p99. The baseline computes the big jobs inline and stalls: the
// bench stops waiting for it BenchOptions::baseline_stall_cap after the
// window, and restarts it.
#include "bench/figure_text.h"
#include "bench/scenarios/scenario_families.h"
#include "bench/scenarios/scenario_parts.h"

namespace fibpool::bench {

namespace {

using std::chrono::milliseconds;

// The tiny requests start this long after the big jobs.
constexpr milliseconds kBusyTinyDelay{100};

class BusyScenario : public NamedScenario {
 public:
  BusyScenario() : NamedScenario("busy", "busy") {}

  milliseconds EstimatedDuration(const BenchOptions& o) const override {
    const int targets = o.only.empty() ? 2 : 1;
    return targets * (kBusyTinyDelay + o.busy_window) + o.baseline_stall_cap;
  }

  ScenarioResult Run(BenchServers& servers) const override {
    const BenchOptions& options = servers.options();
    const unsigned workers = servers.workers();
    ScenarioResult res =
        WithBackground("busy",
                       "tiny jobs on 8 connections while " + std::to_string(workers) + " x `" +
                           options.busy_job + "` run (sent first, on their own connections)",
                       ScenarioResult::Measure::kP99);
    res.baseline_stalls = true;
    const GroupSpec big = BigJobs(options.busy_job, workers);
    GroupSpec tiny = TinyJobs(8);
    tiny.start_delay = kBusyTinyDelay;

    RunSpec spec;
    spec.groups = {big, tiny};
    // The tiny requests are measured from their very first one: a closed-loop
    // client stuck behind the big jobs may send only that one.
    spec.warmup = kBusyTinyDelay;
    spec.window = options.busy_window;
    const double busy_until = std::chrono::duration<double>(spec.warmup + spec.window).count();

    // fibpool first: the baseline is left stalled and must be restarted.
    spec.drain_cap = kBigJobDrainCap;
    if (servers.Runs(servers.fibpool())) {
      servers.RunSlice(servers.fibpool(), spec, &res.fibpool, &res.fibpool_background);
      servers.Progress("busy fibpool: " + ProgressSummary(res.fibpool));
    }
    const auto fb = res.fibpool_background.latency.Summarize();
    if (fb.count > 0 && fb.censored == 0) {
      // The shortest big job must outlast the window for "every worker busy" to hold.
      const double shortest = fb.min_us;
      if (res.fibpool_background.answered >= workers && shortest / 1e6 < busy_until) {
        res.notes.push_back("a big job ended after " + Fixed(shortest / 1e6, 2) +
                            " s, before the window closed at " + Fixed(busy_until, 2) +
                            " s: part of the window had a free worker");
      }
    }

    spec.drain_cap = options.baseline_stall_cap;
    if (!servers.Runs(servers.baseline())) return res;
    servers.RunSlice(servers.baseline(), spec, &res.baseline, &res.baseline_background);
    servers.Progress("busy baseline: " + ProgressSummary(res.baseline));
    if (res.baseline.unanswered + res.baseline_background.unanswered > 0) {
      res.notes.push_back(
          "the baseline computes inline and stalled: " + std::to_string(res.baseline.unanswered) +
          " tiny and " + std::to_string(res.baseline_background.unanswered) +
          " big requests were still unanswered when the bench stopped waiting (" +
          Fixed(std::chrono::duration<double>(options.baseline_stall_cap).count(), 1) +
          " s after the window); its latencies are lower bounds, and it was restarted");
      servers.RestartBaseline();
    }
    return res;
  }
};

}  // namespace

ScenarioList BusyScenarios() { return OneScenario<BusyScenario>(); }

}  // namespace fibpool::bench
