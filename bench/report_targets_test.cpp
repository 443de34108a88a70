// The performance targets: each goal text is made from its threshold, and
// the verdict compares the figure with that same threshold.
#include "bench/report_targets.h"

#include <string>

#include <gtest/gtest.h>

namespace fibpool::bench {
namespace {

using Comparison = PerformanceTarget::Comparison;
using Unit = PerformanceTarget::Unit;

TEST(GoalText, IsMadeFromTheComparisonTheThresholdAndItsUnit) {
  EXPECT_EQ(GoalText({"tiny jobs on 8 connections", Comparison::kAtLeast, 0.85, Unit::kRatio,
                      "of the per-core baseline"}),
            "tiny jobs on 8 connections >= 0.85x of the per-core baseline");
  EXPECT_EQ(GoalText({"added p50 latency", Comparison::kAtMost, 20, Unit::kMicroseconds,
                      "over baseline"}),
            "added p50 latency <= 20 µs over baseline");
  EXPECT_EQ(GoalText({"tiny-job p99", Comparison::kAtMost, 2.5, Unit::kMilliseconds, ""}),
            "tiny-job p99 <= 2.5 ms");
}

TEST(GoalText, ChangesWithTheThreshold) {
  PerformanceTarget t{"F(10^8) end to end", Comparison::kAtMost, 1.15, Unit::kRatio,
                      "its in-process compute time"};
  EXPECT_EQ(GoalText(t), "F(10^8) end to end <= 1.15x its in-process compute time");
  t.threshold = 1.2;
  EXPECT_EQ(GoalText(t), "F(10^8) end to end <= 1.2x its in-process compute time");
}

TEST(Meets, TheThresholdItselfMeetsEitherComparison) {
  const PerformanceTarget at_least{"x", Comparison::kAtLeast, 0.6, Unit::kRatio, ""};
  EXPECT_TRUE(Meets(at_least, 0.6));
  EXPECT_TRUE(Meets(at_least, 0.61));
  EXPECT_FALSE(Meets(at_least, 0.59));
  const PerformanceTarget at_most{"x", Comparison::kAtMost, 5, Unit::kMilliseconds, ""};
  EXPECT_TRUE(Meets(at_most, 5));
  EXPECT_FALSE(Meets(at_most, 5.01));
}

TEST(CheckTargets, EachGoalIsItsTargetsGeneratedTextAndNothingRunIsNotRun) {
  const auto checks = CheckTargets({});
  const auto& targets = PerformanceTargets();
  ASSERT_EQ(checks.size(), targets.size());
  for (std::size_t i = 0; i < checks.size(); ++i) {
    EXPECT_EQ(checks[i].goal, GoalText(targets[i]));
    EXPECT_EQ(checks[i].verdict, Verdict::kNotRun) << checks[i].goal;
  }
  EXPECT_EQ(checks.front().goal, "tiny jobs on 8 connections >= 0.6x baseline");
}

// tiny-8: fibpool at `ratio` of the single-loop baseline's 100,000 req/s.
ScenarioResult Tiny8AtRatio(double ratio) {
  ScenarioResult r;
  r.id = "tiny-8";
  for (Figures* f : {&r.fibpool, &r.baseline}) {
    f->window_seconds = 1;
    f->sent = 1;
  }
  r.baseline.answered_in_window = 100'000;
  r.fibpool.answered_in_window = static_cast<std::uint64_t>(100'000 * ratio);
  return r;
}

TEST(CheckTargets, TheVerdictUsesTheThresholdOfTheGoalText) {
  const auto verdict = [](double ratio) { return CheckTargets({Tiny8AtRatio(ratio)}).front(); };
  EXPECT_EQ(verdict(0.6).verdict, Verdict::kMet);
  EXPECT_EQ(verdict(0.59).verdict, Verdict::kMissed);
  EXPECT_DOUBLE_EQ(verdict(0.59).value, 0.59);
  EXPECT_EQ(verdict(0.59).measured, "0.59x (59,000 vs 100,000 req/s)");
}

TEST(TargetsTable, MarkdownStressesAMissAndJsonKeepsTheVerdictPlain) {
  auto checks = CheckTargets({Tiny8AtRatio(0.5)});
  checks.resize(2);
  const Table table = TargetsTable(checks);
  EXPECT_EQ(table.Markdown(),
            "| target | measured | verdict |\n|---|---|---|\n"
            "| tiny jobs on 8 connections >= 0.6x baseline | 0.50x (50,000 vs 100,000 req/s) | "
            "**missed** |\n"
            "| pipelined (8 connections x 16 deep) >= 0.3x baseline | - | not run |\n");
  const boost::json::array rows = table.Json();
  EXPECT_EQ(rows[0].at("verdict").as_string(), "missed");
  EXPECT_DOUBLE_EQ(rows[0].at("value").as_double(), 0.5);
  EXPECT_EQ(rows[1].at("verdict").as_string(), "not run");
  EXPECT_EQ(rows[1].at("measured").as_string(), "");
}

}  // namespace
}  // namespace fibpool::bench
