#include "bench/latency_samples.h"

#include <gtest/gtest.h>

namespace fibpool::bench {
namespace {

TEST(LatencySamplesTest, PercentilesAreNearestRank) {
  LatencySamples s;
  for (int i = 1; i <= 100; ++i) s.Add(i * 1000);  // 1..100 us
  const auto sum = s.Summarize();
  EXPECT_EQ(sum.count, 100u);
  EXPECT_DOUBLE_EQ(sum.p50.us, 50);
  EXPECT_DOUBLE_EQ(sum.p90.us, 90);
  EXPECT_DOUBLE_EQ(sum.p99.us, 99);
  EXPECT_DOUBLE_EQ(sum.max.us, 100);
  EXPECT_DOUBLE_EQ(sum.min_us, 1);
  EXPECT_FALSE(sum.p99.lower_bound);
}

TEST(LatencySamplesTest, PercentileAmongCensoredSamplesIsALowerBound) {
  LatencySamples s;
  for (int i = 0; i < 98; ++i) s.Add(1000);
  s.AddCensored(2'000'000);
  s.AddCensored(2'000'000);
  const auto sum = s.Summarize();
  EXPECT_EQ(sum.censored, 2u);
  EXPECT_FALSE(sum.p50.lower_bound);
  EXPECT_TRUE(sum.p99.lower_bound);
  EXPECT_TRUE(sum.max.lower_bound);
  EXPECT_DOUBLE_EQ(sum.mean_us, 1);  // answered samples only
}

TEST(LatencySamplesTest, MergeKeepsCensoring) {
  LatencySamples a, b;
  a.Add(1000);
  b.AddCensored(5000);
  a.Merge(b);
  EXPECT_EQ(a.Summarize().censored, 1u);
  EXPECT_EQ(a.count(), 2u);
}

TEST(LatencySamplesTest, EmptyHasZeroCount) { EXPECT_EQ(LatencySamples().Summarize().count, 0u); }

}  // namespace
}  // namespace fibpool::bench
