// The soak (fibpool-bench --scenario soak): a fibpool of its own, with a
// config file of its own so that SIGHUP can resize it, under the mixed load
// of soak_load.h for `duration`, while soak_faults.h kills workers and
// resizes the pool and soak_sampler.h records the supervisor every second.
// Then: the load stops, the pool is resized back to its start size, the
// supervisor at rest is compared with itself at rest before the load, and
// fibpool is stopped with SIGTERM, after which no fibpool.<pid>.* segment
// and no worker may be left (soak_drift.h).
//
// Steps in order: compute the expected big answers; start fibpool (settings
// from the config file only: FIBPOOL_* variables are removed from the
// bench's environment); warm-up requests; at rest "before"; the load; at
// rest "after"; SIGTERM; leftovers. Bounded: the load's duration, plus the
// clients' deadlines (at most 300 s) for the last answers, plus at most
// 2 min of waits for the pool to settle and stop.
//
// Owns fibpool, the config file's temporary directory, and the threads of
// the load, faults and sampler, all ended before Run() returns. Failure:
// a fibpool that cannot start is SoakResult::failure; never throws after
// that except std::bad_alloc.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "bench/soak_drift.h"
#include "bench/soak_faults.h"
#include "bench/soak_sample.h"
#include "bench/soak_tally.h"

namespace fibpool::bench {

struct SoakOptions {
  std::chrono::seconds duration{600};
  std::filesystem::path fibpool_path;
  std::vector<std::string> fibpool_args;  // appended to fibpool's command line
  unsigned workers = 2;                   // the pool's size at start and at rest
  DriftLimits limits;
};

struct SoakResult {
  std::string fibpool_command;
  std::string ready_line;
  double load_seconds = 0;                   // from the load's start to its last answer
  double expected_seconds = 0;               // computing the expected answers
  std::map<std::string, KindCounts> counts;  // per kind of client
  KindCounts total;
  std::vector<std::string> problems;  // the first wrong or lost requests
  std::vector<SoakSample> samples;
  std::vector<SoakFaults::Resize> resizes;
  std::uint64_t kills = 0;
  std::uint64_t workers_seen = 0;  // distinct worker pids seen in `stats`
  SoakEnd end;
  DriftLimits limits;
  DriftVerdict drift;
  std::string failure;  // fibpool did not start, for example

  // No wrong or lost answer, no drift, no failure.
  bool ok() const { return failure.empty() && total.wrong == 0 && total.lost == 0 && drift.ok(); }
};

class SoakScenario {
 public:
  // `progress` gets a line now and then, for people watching.
  SoakScenario(SoakOptions options, std::function<void(const std::string&)> progress);
  SoakResult Run();

 private:
  SoakOptions options_;
  std::function<void(const std::string&)> progress_;
};

}  // namespace fibpool::bench
