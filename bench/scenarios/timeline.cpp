// The timeline scenario, the articles' experiment: tiny requests on one
// connection, their answers counted per 100 ms, while one big job per
// worker starts a second into the run and finishes. Against fibpool, the
// baseline and (with BenchOptions::python) the articles' two Python servers
// (bench/py_server.py: thread per connection, ProcessPoolExecutor), which
// the scenario starts and stops itself.
#include "bench/figure_text.h"
#include "bench/request_set.h"
#include "bench/scenarios/scenario_families.h"
#include "bench/scenarios/scenario_parts.h"
#include "bench/timeouts.h"

namespace fibpool::bench {

namespace {

using std::chrono::milliseconds;

// Answers are counted per bucket; the big jobs start this long into the run,
// after a stretch of tiny requests alone.
constexpr milliseconds kTimelineBucket{100};
constexpr milliseconds kTimelineBigStart{1'000};

class TimelineScenario : public NamedScenario {
 public:
  TimelineScenario() : NamedScenario("timeline", "timeline") {}

  milliseconds EstimatedDuration(const BenchOptions& o) const override {
    const int targets = o.only.empty() ? 2 : 1;
    return targets * o.timeline_window + o.baseline_stall_cap;
  }

  ScenarioResult Run(BenchServers& servers) const override;

 private:
  // The Python servers, each started for its run.
  static void RunPythonServers(BenchServers& servers, RunSpec spec, ScenarioResult* res);
};

ScenarioResult TimelineScenario::Run(BenchServers& servers) const {
  const BenchOptions& options = servers.options();
  const unsigned workers = servers.workers();
  ScenarioResult res = WithBackground(
      "timeline",
      "tiny jobs on 1 connection, counted per " + std::to_string(kTimelineBucket.count()) +
          " ms, while " + std::to_string(workers) + " x `" + options.timeline_job + "` start at " +
          Fixed(std::chrono::duration<double>(kTimelineBigStart).count(), 1) + " s",
      ScenarioResult::Measure::kRate);
  GroupSpec big = BigJobs(options.timeline_job, workers);
  big.start_delay = kTimelineBigStart;
  big.timeline_bucket = kTimelineBucket;
  GroupSpec tiny = TinyJobs(1);
  tiny.timeline_bucket = kTimelineBucket;

  RunSpec spec;
  spec.groups = {big, tiny};
  spec.window = options.timeline_window;
  for (Figures* f :
       {&res.fibpool, &res.baseline, &res.fibpool_background, &res.baseline_background}) {
    f->timeline_bucket_ms = static_cast<double>(kTimelineBucket.count());
  }
  spec.drain_cap = kBigJobDrainCap;
  if (servers.Runs(servers.fibpool())) {
    servers.RunSlice(servers.fibpool(), spec, &res.fibpool, &res.fibpool_background);
    servers.Progress("timeline fibpool: " + ProgressSummary(res.fibpool));
  }
  spec.drain_cap = options.baseline_stall_cap;
  if (!servers.Runs(servers.baseline())) return res;
  servers.RunSlice(servers.baseline(), spec, &res.baseline, &res.baseline_background);
  servers.Progress("timeline baseline: " + ProgressSummary(res.baseline));
  if (res.baseline.unanswered + res.baseline_background.unanswered > 0) {
    res.notes.push_back("the baseline stalled past the bench's wait; it was restarted");
    servers.RestartBaseline();
  }
  if (options.python.empty() || !options.only.empty()) return res;
  RunPythonServers(servers, spec, &res);
  return res;
}

void TimelineScenario::RunPythonServers(BenchServers& servers, RunSpec spec, ScenarioResult* res) {
  const BenchOptions& options = servers.options();
  const std::string workers = std::to_string(servers.workers());
  spec.groups.front().requests = {ParseJob(options.python_timeline_job)};
  for (const char* mode : {"threads", "pool"}) {
    ChildServer server = ChildServer::Start(
        {options.python, options.python_server.string(), "--mode", mode, "--workers", workers},
        kStartTimeout);
    BenchServers::Target target{std::string("py-") + mode, &server, server.endpoint()};
    ScenarioResult::Other& other = res->others.emplace_back();
    other.main.label = other.background.label = target.label;
    other.main.timeline_bucket_ms = other.background.timeline_bucket_ms =
        res->fibpool.timeline_bucket_ms;
    servers.RunSlice(target, spec, &other.main, &other.background);
    servers.Progress("timeline " + target.label + ": " + ProgressSummary(other.main));
    server.Kill();
  }
  res->notes.push_back("py-threads and py-pool (bench/py_server.py) ran `" +
                       options.python_timeline_job + "` as their big job");
}

}  // namespace

ScenarioList TimelineScenarios() { return OneScenario<TimelineScenario>(); }

}  // namespace fibpool::bench
