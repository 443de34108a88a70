// The progress lines' estimate of how long scenarios take.
#include <gtest/gtest.h>

#include "bench/scenario_runner.h"

namespace fibpool::bench {
namespace {

using std::chrono::milliseconds;

TEST(EstimatedDuration, LoadScenariosTakeTheirSlicesForBothTargets) {
  BenchOptions o;
  o.rounds = 4;
  o.slice = milliseconds(1000);
  o.warmup = milliseconds(200);
  EXPECT_EQ(EstimatedDuration("tiny-8", o), milliseconds(2 * 4 * 1200));
  EXPECT_EQ(EstimatedDuration("rec30-2", o), milliseconds(2 * 4 * 1200));
  o.only = "fibpool";
  EXPECT_EQ(EstimatedDuration("tiny-8", o), milliseconds(4 * 1200));
}

TEST(EstimatedDuration, TimelineTakesItsWindowPerTargetAndTheBaselineWait) {
  BenchOptions o;
  o.timeline_window = milliseconds(5000);
  o.baseline_stall_cap = milliseconds(1000);
  EXPECT_EQ(EstimatedDuration("timeline", o), milliseconds(11'000));
}

TEST(EstimatedDuration, EveryScenarioTakesSomeTime) {
  const BenchOptions o;
  for (const std::string& id : AllScenarioIds())
    EXPECT_GT(EstimatedDuration(id, o).count(), 0) << id;
}

TEST(RemainingText, MinutesAndSeconds) {
  EXPECT_EQ(RemainingText(milliseconds(42'900)), "42 s");
  EXPECT_EQ(RemainingText(milliseconds(65'000)), "1 min 5 s");
}

}  // namespace
}  // namespace fibpool::bench
