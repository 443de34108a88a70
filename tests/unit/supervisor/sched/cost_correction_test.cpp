#include "supervisor/sched/cost_correction.h"

#include <gtest/gtest.h>

#include <cmath>

#include "supervisor/sched/cost_model.h"

namespace fibpool::supervisor {
namespace {

using ipc::Algorithm;

// A job of `reference_ns` on the reference machine that took `ratio` times
// as long.
void Measure(CostCorrection& c, Algorithm a, std::uint64_t reference_ns, double ratio) {
  c.Learn(a, reference_ns, static_cast<std::uint64_t>(static_cast<double>(reference_ns) * ratio));
}

TEST(CostCorrection, BeforeAnyJobEstimatesAreTheReferenceMachines) {
  const CostCorrection c;
  const std::uint64_t reference = EstimatedCostNanos(Algorithm::kFast, 10'000'000);
  EXPECT_EQ(c.Apply(Algorithm::kFast, reference), reference);
  EXPECT_DOUBLE_EQ(c.factor(Algorithm::kRecursive), 1.0);
}

TEST(CostCorrection, ConvergesTowardAMachineThreeTimesSlower) {
  CostCorrection c;
  const std::uint64_t reference = EstimatedCostNanos(Algorithm::kRecursive, 35);
  double previous = c.factor(Algorithm::kRecursive);
  for (int i = 0; i < 60; ++i) {
    Measure(c, Algorithm::kRecursive, reference, 3.0);
    ASSERT_GT(c.factor(Algorithm::kRecursive), previous);  // every job moves it closer
    previous = c.factor(Algorithm::kRecursive);
  }
  EXPECT_NEAR(c.factor(Algorithm::kRecursive), 3.0, 0.03);
  EXPECT_NEAR(static_cast<double>(c.Apply(Algorithm::kRecursive, reference)),
              3.0 * static_cast<double>(reference), 0.01 * 3.0 * static_cast<double>(reference));
  // Each algorithm learns on its own.
  EXPECT_DOUBLE_EQ(c.factor(Algorithm::kFast), 1.0);
}

TEST(CostCorrection, ConvergesTowardAFasterMachineAsWell) {
  CostCorrection c;
  for (int i = 0; i < 60; ++i) Measure(c, Algorithm::kFast, 50'000'000, 0.5);
  EXPECT_NEAR(c.factor(Algorithm::kFast), 0.5, 0.01);
}

TEST(CostCorrection, OneOutlierMovesTheFactorNoMoreThanTheClampAllows) {
  CostCorrection c;
  for (int i = 0; i < 60; ++i) Measure(c, Algorithm::kFast, 10'000'000, 1.0);
  // A job that took 1000 times its estimate (stopped in a debugger, say)
  // counts as kMaxRatio times.
  Measure(c, Algorithm::kFast, 10'000'000, 1000.0);
  const double bound = std::pow(CostCorrection::kMaxRatio, CostCorrection::kWeight);
  EXPECT_LE(c.factor(Algorithm::kFast), bound * 1.0001);
  EXPECT_GT(c.factor(Algorithm::kFast), 1.0);
  // A run of ordinary jobs brings it back.
  for (int i = 0; i < 60; ++i) Measure(c, Algorithm::kFast, 10'000'000, 1.0);
  EXPECT_NEAR(c.factor(Algorithm::kFast), 1.0, 0.01);
}

TEST(CostCorrection, TheFactorStaysWithinTheClampWhateverTheJobsSay) {
  CostCorrection c;
  for (int i = 0; i < 500; ++i) Measure(c, Algorithm::kRecursive, 100'000'000, 1e6);
  EXPECT_LE(c.factor(Algorithm::kRecursive), CostCorrection::kMaxRatio * 1.0001);
  for (int i = 0; i < 500; ++i) c.Learn(Algorithm::kRecursive, 100'000'000, 0);
  EXPECT_GE(c.factor(Algorithm::kRecursive), 1.0 / CostCorrection::kMaxRatio / 1.0001);
}

TEST(CostCorrection, TinyJobsBelowTheThresholdTeachNothing) {
  CostCorrection c;
  // Thousands of 2 us jobs that took 20 times their estimate (fixed
  // overhead, clock resolution) ...
  for (int i = 0; i < 5000; ++i) Measure(c, Algorithm::kFast, 2'000, 20.0);
  EXPECT_DOUBLE_EQ(c.factor(Algorithm::kFast), 1.0);
  // ... while jobs at the threshold do.
  Measure(c, Algorithm::kFast, CostCorrection::kMinLearnNanos, 2.0);
  EXPECT_GT(c.factor(Algorithm::kFast), 1.0);
}

TEST(CostCorrection, EstimatesSaturateInsteadOfOverflowing) {
  CostCorrection c;
  for (int i = 0; i < 100; ++i) Measure(c, Algorithm::kRecursive, 1'000'000'000, 8.0);
  const std::uint64_t huge = EstimatedCostNanos(Algorithm::kRecursive, 93);
  EXPECT_GE(c.Apply(Algorithm::kRecursive, huge), huge);
  EXPECT_LE(c.Apply(Algorithm::kRecursive, huge), 1'000'000'000'000'000'000u);
}

}  // namespace
}  // namespace fibpool::supervisor
