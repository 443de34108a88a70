// The progress lines' estimate of how long scenarios take.
#include <gtest/gtest.h>

#include "bench/scenario_registry.h"

namespace fibpool::bench {
namespace {

using std::chrono::milliseconds;

TEST(EstimatedDuration, LoadScenariosTakeTheirSlicesForAllFourTargets) {
  BenchOptions o;
  o.rounds = 4;
  o.slice = milliseconds(1000);
  o.warmup = milliseconds(200);
  // fibpool, the single-loop baseline, the per-core baseline and the
  // minimal reference.
  EXPECT_EQ(EstimatedDuration("tiny-8", o), milliseconds(4 * 4 * 1200));
  EXPECT_EQ(EstimatedDuration("rec30-2", o), milliseconds(4 * 4 * 1200));
  o.only = "fibpool";
  EXPECT_EQ(EstimatedDuration("tiny-8", o), milliseconds(4 * 1200));
  o.only = "per-core";
  EXPECT_EQ(EstimatedDuration("tiny-8", o), milliseconds(4 * 1200));
  o.only = "minimal";
  EXPECT_EQ(EstimatedDuration("tiny-8", o), milliseconds(4 * 1200));
}

TEST(EstimatedDuration, TimelineTakesItsWindowPerTargetAndTheBaselineWait) {
  BenchOptions o;
  o.timeline_window = milliseconds(5000);
  o.baseline_stall_cap = milliseconds(1000);
  EXPECT_EQ(EstimatedDuration("timeline", o), milliseconds(11'000));
}

TEST(EstimatedDuration, ArticlesTakesThreePhasesOfPerf2PerTarget) {
  BenchOptions o;
  o.articles_window = milliseconds(5000);
  // fibpool and the minimal reference; perf2's first second, then the window.
  EXPECT_EQ(EstimatedDuration("articles", o), milliseconds(2 * 3 * 6000));
  o.only = "minimal";
  EXPECT_EQ(EstimatedDuration("articles", o), milliseconds(3 * 6000));
}

TEST(EstimatedDuration, NoisyTakesItsFourPhasesPerTargetAndTheDrain) {
  BenchOptions o;
  o.noisy_phase = milliseconds(4000);
  o.noisy_queued = 20;
  o.baseline_stall_cap = milliseconds(1000);
  // Per target 6 service jobs of 0.3 s, 0.5 s warm-up, 4 phases; then 20
  // jobs drain two at a time, and the baseline's wait.
  EXPECT_EQ(EstimatedDuration("noisy", o), milliseconds(2 * (1800 + 500 + 16'000) + 3000 + 1000));
  o.noisy_phase = milliseconds(2000);
  EXPECT_EQ(EstimatedDuration("noisy", o), milliseconds(2 * (1800 + 500 + 8'000) + 3000 + 1000));
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
