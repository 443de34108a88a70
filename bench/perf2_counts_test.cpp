// perf2.py's per-second lines and the median the articles scenario takes of
// them.
#include "bench/perf2_counts.h"

#include <gtest/gtest.h>

namespace fibpool::bench {
namespace {

TEST(Perf2Counts, ReadsTheCountOfEachPerSecondLine) {
  EXPECT_EQ(ParsePerSecondCount("8123 reqs/sec"), 8123u);
  EXPECT_EQ(ParsePerSecondCount("0 reqs/sec"), 0u);
}

TEST(Perf2Counts, AnyOtherLineIsNoCount) {
  for (const char* line : {"", " reqs/sec", "reqs/sec", "12 reqs/s", "-3 reqs/sec",
                           "1.5 reqs/sec", "12  reqs/sec", "x12 reqs/sec",
                           "ConnectionRefusedError: [Errno 111] Connection refused",
                           "99999999999999999999999 reqs/sec"}) {
    EXPECT_EQ(ParsePerSecondCount(line), std::nullopt) << "'" << line << "'";
  }
}

TEST(Perf2Counts, TheMedianLeavesTheFirstCountOut) {
  // The first count, far below the rest, would be the median with them.
  EXPECT_EQ(MedianAfterFirst({10, 500, 600, 700}), 600.0);
  EXPECT_EQ(MedianAfterFirst({9000, 20, 30, 40}), 30.0);
  EXPECT_EQ(MedianAfterFirst({10, 500}), 500.0);
}

TEST(Perf2Counts, TheMedianOfAnEvenCountIsItsLowerMiddle) {
  EXPECT_EQ(MedianAfterFirst({1, 40, 10, 30, 20}), 20.0);
}

TEST(Perf2Counts, NoCountAfterTheFirstHasNoMedian) {
  EXPECT_EQ(MedianAfterFirst({}), std::nullopt);
  EXPECT_EQ(MedianAfterFirst({1234}), std::nullopt);
}

}  // namespace
}  // namespace fibpool::bench
