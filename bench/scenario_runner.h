// Runs the benchmark's scenarios against fibpool and the baseline, in one
// process; the load scenarios also against the per-core baseline. The load
// scenarios alternate the targets slice by slice, in an order reversed every
// round (ABC CBA, ABBA for two) so that all see the same background noise of
// a shared machine.
//
// Owns the servers it starts: fibpool (unless BenchOptions::target names a
// running one), fibpool-baseline with one event loop and fibpool-baseline
// with one per CPU (unless --only leaves it out); all are stopped when the
// runner is destroyed. The single-loop baseline is killed and restarted when
// a scenario (busy, timeline, noisy) leaves it stalled in a big job. The
// admission scenario starts fibpools of its own (admission_scenario.h).
//
// Failure: the constructor throws std::runtime_error when a server cannot be
// started (start-up). A scenario that goes wrong (wrong answers, a failed
// connection) is recorded in its result, never thrown.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "bench/child_server.h"
#include "bench/estimate_error.h"
#include "bench/load_spec.h"
#include "bench/request_set.h"
#include "bench/scenario_result.h"

namespace fibpool::bench {

struct BenchOptions {
  // Scenario ids or groups (tiny, recursive, busy, big, timeline, noisy,
  // admission); empty: all.
  std::vector<std::string> scenarios;
  // A running fibpool to measure; empty: the bench starts one.
  std::optional<boost::asio::ip::tcp::endpoint> target;
  std::filesystem::path fibpool_path;     // fibpool executable
  std::filesystem::path baseline_path;    // fibpool-baseline executable
  unsigned workers = 2;                   // --workers for the fibpool the bench starts
  std::vector<std::string> fibpool_args;  // extra arguments for it
  std::chrono::milliseconds slice{1000};  // measured window of one load slice
  std::chrono::milliseconds warmup{200};  // before each slice's window
  unsigned rounds = 4;                    // slices per target per load scenario
  // The busy scenario's big job; it must outlast the window (about 2.7 s on the
  // 2-core reference machine: `44 recursive` takes 1 s there, too short).
  std::string busy_job = "46 recursive";
  std::chrono::milliseconds busy_window{1200};
  // Busy scenario: how long to wait for the stalled baseline after the window.
  std::chrono::milliseconds baseline_stall_cap{1000};
  unsigned big_runs = 2;  // runs per target of each big-result scenario
  // The timeline scenario's big job (one per worker) and how long it runs.
  std::string timeline_job = "44 recursive";
  std::chrono::milliseconds timeline_window{5'000};
  // The timeline scenario also measures the articles' Python servers
  // (bench/py_server.py: thread per connection, ProcessPoolExecutor) with
  // this interpreter; empty: not. Their big job takes about as long in
  // CPython as timeline_job in C++.
  std::string python;
  std::filesystem::path python_server;  // py_server.py
  std::string python_timeline_job = "34 recursive";
  // The noisy-neighbour scenario: client A keeps `noisy_queued` of
  // `noisy_job` queued (on two connections) through four phases of
  // `noisy_phase` each: A alone; B asking the same job one at a time; B
  // asking tiny jobs one at a time, `noisy_tiny_pause` apart; A alone.
  std::string noisy_job = "10000000";
  unsigned noisy_queued = 20;
  std::chrono::milliseconds noisy_phase{4'000};
  std::chrono::milliseconds noisy_tiny_pause{5};
  // The admission scenario (admission_scenario.h): `admission_clients`
  // clients keep `admission_depth` x `admission_job` outstanding for
  // `admission_phase`, against fibpool with max_wait off, then set to
  // `admission_max_wait`.
  std::string admission_job = "10000000";
  unsigned admission_clients = 32;
  unsigned admission_depth = 1;
  std::chrono::milliseconds admission_phase{10'000};
  std::chrono::milliseconds admission_max_wait{1'000};
  // fibpool-baseline --threads of the per-core baseline (0: one per usable CPU).
  unsigned baseline_threads = 0;
  // "fibpool", "baseline" or "per-core": run just that target (to profile it).
  std::string only;
  bool verbose = true;  // progress on stderr (fibpool-bench: only when it is a terminal)
};

// Every scenario id, in the order they run, and the groups that select them.
std::vector<std::string> AllScenarioIds();
// Expands ids and groups ("all", "tiny", "recursive", "busy", "big", "timeline", "noisy",
// "admission");
// throws std::invalid_argument on an unknown name.
std::vector<std::string> SelectScenarios(const std::vector<std::string>& names);
// How long scenario `id` takes with `options` on the reference machine
// (windows, warm-ups, waits), for the progress lines' "left".
std::chrono::milliseconds EstimatedDuration(const std::string& id, const BenchOptions& options);
// How the bench starts fibpool: the executable, --host 127.0.0.1 --port 0,
// --workers, --log-level warn, then BenchOptions::fibpool_args.
std::vector<std::string> FibpoolCommand(const BenchOptions& options);
// "1 min 5 s", "42 s".
std::string RemainingText(std::chrono::milliseconds left);

class ScenarioRunner {
 public:
  explicit ScenarioRunner(BenchOptions options);
  ~ScenarioRunner();

  std::vector<ScenarioResult> RunAll();
  // fibpool's cost model error so far (estimate_error.h); empty when fibpool
  // is not measured (--only baseline) or does not report it.
  std::vector<EstimateError> EstimateErrors() const;
  // What the report prints about the servers measured.
  std::string FibpoolDescription() const;
  std::string BaselineDescription() const;
  std::string PerCoreDescription() const;

 private:
  struct Target {
    std::string label;
    ChildServer* process = nullptr;  // null: not started by the bench
    boost::asio::ip::tcp::endpoint endpoint;
  };

  ScenarioResult RunLoadScenario(const std::string& id, const std::string& title,
                                 const std::vector<GroupSpec>& groups);
  ScenarioResult RunBusyScenario();
  ScenarioResult RunBigScenario(const std::string& id, std::uint64_t n);
  // The articles' experiment: the tiny-request rate per 100 ms while big
  // jobs start and finish.
  ScenarioResult RunTimelineScenario();
  // Client A's backlog against client B's big and tiny jobs (fair queuing).
  ScenarioResult RunNoisyScenario();
  // One target's part of it; `big` is A's and B's big job.
  void RunNeighbour(Target& target, const RequestLine& big, Figures* main, Figures* background,
                    NeighbourFigures* out);
  RunResult RunSlice(Target& target, RunSpec spec, Figures* main, Figures* background);
  void RestartBaseline();
  bool Runs(const Target& target) const;
  void Progress(const std::string& line) const;

  BenchOptions options_;
  ChildServer fibpool_;
  ChildServer baseline_;
  ChildServer per_core_;
  Target fibpool_target_;
  Target baseline_target_;
  Target per_core_target_;
  unsigned workers_ = 0;  // workers of the fibpool measured
};

}  // namespace fibpool::bench
