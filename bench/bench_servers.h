// The servers fibpool-bench measures, and how a scenario runs load against
// one of them: fibpool, the baseline (fibpool-baseline, one event loop), the
// per-core baseline (fibpool-baseline, one event loop per CPU) and the
// minimal reference (fibpool-minimal, one epoll loop per CPU, no Asio).
//
// Owns the servers it starts: fibpool (unless BenchOptions::target names a
// running one), the baseline, and the per-core baseline and the minimal
// reference (unless --only leaves them out); all are stopped when
// BenchServers is destroyed. A scenario that
// leaves the baseline stalled in a big job restarts it (RestartBaseline).
//
// Failure: the constructor throws std::runtime_error when a server cannot be
// started, and so does RestartBaseline. RunSlice records a failed run in the
// Figures it fills (first_error), never throws.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "bench/bench_options.h"
#include "bench/child_server.h"
#include "bench/estimate_error.h"
#include "bench/load_spec.h"
#include "bench/scenario_result.h"

namespace fibpool::bench {

// How the bench starts fibpool: the executable, --host 127.0.0.1 --port 0,
// --workers, --log-level warn, then BenchOptions::fibpool_args.
std::vector<std::string> FibpoolCommand(const BenchOptions& options);
// How the bench starts a server with one loop per CPU (the per-core
// baseline, the minimal reference): `path` --port 0 --threads
// BenchOptions::baseline_threads.
std::vector<std::string> PerCpuCommand(const std::filesystem::path& path,
                                       const BenchOptions& options);

class BenchServers {
 public:
  struct Target {
    std::string label;               // "fibpool", "baseline", "per-core", "minimal", ...
    ChildServer* process = nullptr;  // null: not started by the bench
    boost::asio::ip::tcp::endpoint endpoint;
  };

  explicit BenchServers(BenchOptions options);
  ~BenchServers();
  BenchServers(const BenchServers&) = delete;
  BenchServers& operator=(const BenchServers&) = delete;

  const BenchOptions& options() const { return options_; }
  // Workers of the fibpool measured (its ready line's, or --workers).
  unsigned workers() const { return workers_; }
  Target& fibpool() { return fibpool_target_; }
  Target& baseline() { return baseline_target_; }
  Target& per_core() { return per_core_target_; }
  Target& minimal() { return minimal_target_; }

  // Whether `target` is measured in this run (--only).
  bool Runs(const Target& target) const;
  // One load run against `target`: its last group's figures go to `main`,
  // its first group's to `background` (when given and there are two groups),
  // with the server's CPU time over the run.
  RunResult RunSlice(Target& target, RunSpec spec, Figures* main, Figures* background);
  // Kills the baseline (stalled in a big job) and starts it again.
  void RestartBaseline();
  // A progress line on stderr, when BenchOptions::verbose.
  void Progress(const std::string& line) const;

  // fibpool's cost model error so far (estimate_error.h); empty when fibpool
  // is not measured (--only baseline) or does not report it.
  std::vector<EstimateError> EstimateErrors() const;
  // What the report prints about the servers measured.
  std::string FibpoolDescription() const;
  std::string BaselineDescription() const;
  std::string PerCoreDescription() const;
  std::string MinimalDescription() const;

 private:
  BenchOptions options_;
  ChildServer fibpool_;
  ChildServer baseline_;
  ChildServer per_core_;
  ChildServer minimal_;
  Target fibpool_target_;
  Target baseline_target_;
  Target per_core_target_;
  Target minimal_target_;
  unsigned workers_ = 0;
};

// "`ARGV` (READY LINE)" of a server the bench started.
std::string Describe(const ChildServer& server);

// "1,234 req/s, p50 .. us, p99 .. us, answered .., wrong .., unanswered ..":
// a progress line's account of `f`.
std::string ProgressSummary(const Figures& f);

}  // namespace fibpool::bench
