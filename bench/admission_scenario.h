// The admission scenario: the same overload against two fibpools the
// scenario starts itself, the first with max_wait off (0, the default) and
// the second with --max-wait BenchOptions::admission_max_wait. Clients, one
// connection each from its own loopback address (127.0.0.11, .12, ...: each
// a flow of its own), keep admission_depth x admission_job outstanding for
// admission_phase, and honour `ERR busy retry_after=S`: they send nothing
// for S seconds, then retry (GroupSpec::honour_retry_after).
//
// Neither baseline (one event loop, one per CPU) is run: they have no
// admission, nothing to compare; nor is the scenario with --only baseline,
// per-core or minimal.
//
// Owns the fibpool of each phase for the phase's length, stopped before the
// next phase. Failure: a fibpool that cannot be started, or a run that
// fails, is recorded in the phase's Figures (first_error), never thrown; an
// admission_job that names no job throws std::invalid_argument (ParseJob).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "bench/bench_options.h"
#include "bench/request_set.h"
#include "bench/scenario_result.h"

namespace fibpool::bench {

class AdmissionScenario {
 public:
  // `fibpool_argv`: how the bench starts fibpool (--max-wait is appended);
  // `progress` gets a line per phase for people watching.
  AdmissionScenario(const BenchOptions& options, std::vector<std::string> fibpool_argv,
                    std::function<void(const std::string&)> progress);

  ScenarioResult Run();

 private:
  AdmissionPhase RunPhase(std::chrono::milliseconds max_wait, const RequestLine& job);

  const BenchOptions& options_;
  std::vector<std::string> fibpool_argv_;
  std::function<void(const std::string&)> progress_;
};

// "1", "0.5": max_wait as fibpool's --max-wait takes it (seconds).
std::string MaxWaitText(std::chrono::milliseconds max_wait);

// "max_wait off", "max_wait 1 s", "max_wait 0.5 s": a phase as the report names it.
std::string PhaseName(const AdmissionPhase& phase);

}  // namespace fibpool::bench
