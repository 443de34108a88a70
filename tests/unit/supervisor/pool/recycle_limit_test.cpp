#include "supervisor/pool/recycle_limit.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace fibpool::supervisor {
namespace {

TEST(RecycleLimit, ZeroStaysNever) { EXPECT_EQ(SpreadRecycleLimit(0, 1, 4, 0.7), 0u); }

TEST(RecycleLimit, EveryLimitLiesWithinATenthAboveTheSetting) {
  for (unsigned workers : {1u, 2u, 3u, 8u}) {
    for (std::uint32_t cell = 0; cell < workers; ++cell) {
      for (double draw : {0.0, 0.25, 0.5, 0.999999}) {
        const std::uint64_t limit = SpreadRecycleLimit(20'000, cell, workers, draw);
        EXPECT_GE(limit, 20'000u);
        EXPECT_LE(limit, 22'000u);
      }
    }
  }
}

TEST(RecycleLimit, TwoCellsOfALaneNeverDrawLimitsCloserThanTheirShare) {
  // Whatever the draws: at least N / (20 x workers) jobs apart.
  for (unsigned workers : {2u, 4u}) {
    const std::uint64_t gap = 20'000 / 10 / (2 * workers);
    for (double a : {0.0, 0.5, 0.999999}) {
      for (double b : {0.0, 0.5, 0.999999}) {
        for (std::uint32_t cell = 0; cell + 1 < workers; ++cell) {
          const auto low = SpreadRecycleLimit(20'000, cell, workers, a);
          const auto high = SpreadRecycleLimit(20'000, cell + 1, workers, b);
          EXPECT_GE(high, low + gap) << workers << " " << cell << " " << a << " " << b;
        }
      }
    }
  }
}

TEST(RecycleLimit, TheDrawMovesALimitWithinItsCell) {
  EXPECT_EQ(SpreadRecycleLimit(20'000, 0, 2, 0.0), 20'000u);
  EXPECT_EQ(SpreadRecycleLimit(20'000, 0, 2, 0.5), 20'250u);
  EXPECT_EQ(SpreadRecycleLimit(20'000, 1, 2, 0.0), 21'000u);
  EXPECT_EQ(SpreadRecycleLimit(20'000, 3, 2, 0.0), 21'000u);  // beyond the lane: wraps
}

TEST(RecycleLimit, DrawsAreInTheUnitIntervalAndVary) {
  double lowest = 1, highest = 0;
  for (int i = 0; i < 1000; ++i) {
    const double d = RecycleDraw();
    ASSERT_GE(d, 0.0);
    ASSERT_LT(d, 1.0);
    lowest = std::min(lowest, d);
    highest = std::max(highest, d);
  }
  EXPECT_LT(lowest, 0.1);
  EXPECT_GT(highest, 0.9);
}

}  // namespace
}  // namespace fibpool::supervisor
