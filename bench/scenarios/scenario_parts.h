// What the scenario families (bench/scenarios/*.cpp) share: the load groups
// they are made of, the caps on how long they wait for big jobs, and how a
// result with big jobs in the background starts. Pure.
#pragma once

#include <chrono>
#include <string>
#include <utility>

#include "bench/load_spec.h"
#include "bench/scenario.h"
#include "bench/scenario_result.h"

namespace fibpool::bench {

// How long fibpool may take to answer the big jobs still running when a
// window closes; fibpool's own job timeout bounds them.
inline constexpr std::chrono::milliseconds kBigJobDrainCap{60'000};
// How long one run of a few big jobs (F(10^8), B's service time) may take.
inline constexpr std::chrono::milliseconds kBigRunCap{180'000};
// About how long one F(10^7) takes on the reference machine, for the
// progress lines' estimate.
inline constexpr std::chrono::milliseconds kBigJobEstimate{300};

// A scenario whose id and group are set when it is made.
class NamedScenario : public Scenario {
 public:
  NamedScenario(std::string id, std::string group) : id_(std::move(id)), group_(std::move(group)) {}

  std::string id() const override { return id_; }
  std::string group() const override { return group_; }

 private:
  std::string id_;
  std::string group_;
};

// `connections` closed-loop connections sending tiny jobs, `depth` at a time.
GroupSpec TinyJobs(unsigned connections, unsigned depth = 1);
// One `job` on each of `connections` connections, sent once, every latency
// recorded.
GroupSpec BigJobs(const std::string& job, unsigned connections);
// A result whose tiny requests run beside big jobs (the background):
// fibpool's and the baseline's figures labelled, has_background set.
ScenarioResult WithBackground(std::string id, std::string title, ScenarioResult::Measure measure);

}  // namespace fibpool::bench
