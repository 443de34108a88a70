#include "supervisor/metrics/job_cost_histograms.h"

#include <gtest/gtest.h>

#include <limits>

namespace fibpool::supervisor {
namespace {

using H = JobCostHistograms;

TEST(JobCostHistograms, TheDecadeOfNIsThePowerOfTenAtOrBelowIt) {
  EXPECT_EQ(H::DecadeOf(0), 0u);
  EXPECT_EQ(H::DecadeOf(9), 0u);
  EXPECT_EQ(H::DecadeOf(10), 1u);
  EXPECT_EQ(H::DecadeOf(93), 1u);
  EXPECT_EQ(H::DecadeOf(99'999), 4u);
  EXPECT_EQ(H::DecadeOf(100'000), 5u);
  EXPECT_EQ(H::DecadeOf(10'000'000), 7u);
  EXPECT_EQ(H::DecadeOf(100'000'000), 8u);
}

TEST(JobCostHistograms, EveryNFromABillionUpSharesTheLastDecade) {
  EXPECT_EQ(H::DecadeOf(999'999'999), 8u);
  EXPECT_EQ(H::DecadeOf(1'000'000'000), 9u);
  EXPECT_EQ(H::DecadeOf(std::numeric_limits<std::uint64_t>::max()), H::kDecades - 1);
  EXPECT_EQ(H::kDecades, 10u);
}

TEST(JobCostHistograms, DecadeLabelsAreShortPowersOfTen) {
  EXPECT_EQ(H::DecadeLabel(0), "1e0");
  EXPECT_EQ(H::DecadeLabel(7), "1e7");
  EXPECT_EQ(H::DecadeLabel(9), "1e9");
}

TEST(JobCostHistograms, AJobCountsInItsAlgorithmAndDecadeOnly) {
  H h;
  h.Record(ipc::Algorithm::kFast, 12'345'678, 250'000'000, 90u << 20);
  h.Record(ipc::Algorithm::kFast, 20'000'000, 400'000'000, 120u << 20);
  h.Record(ipc::Algorithm::kRecursive, 35, 40'000'000, 5u << 20);
  const std::size_t fast = ipc::AlgorithmIndex(ipc::Algorithm::kFast);
  const std::size_t recursive = ipc::AlgorithmIndex(ipc::Algorithm::kRecursive);
  EXPECT_EQ(h.cpu(fast, 7).count(), 2u);
  EXPECT_NEAR(h.cpu(fast, 7).sum_seconds(), 0.65, 1e-9);
  EXPECT_EQ(h.cpu(fast, 6).count(), 0u);
  EXPECT_EQ(h.cpu(recursive, 7).count(), 0u);
  EXPECT_EQ(h.cpu(recursive, 1).count(), 1u);
  // 90 MiB and 120 MiB both fall in the 128 MiB bucket, not in 64 MiB.
  const Histogram& rss = h.peak_rss(fast, 7);
  EXPECT_EQ(rss.bounds()[3], 64.0 * (1 << 20));
  EXPECT_EQ(rss.CumulativeCount(3), 0u);
  EXPECT_EQ(rss.CumulativeCount(4), 2u);
  EXPECT_EQ(rss.sum(), static_cast<double>((90u << 20) + (120u << 20)));
  // 5 MiB: below the first bound.
  EXPECT_EQ(h.peak_rss(recursive, 1).CumulativeCount(0), 1u);
}

TEST(Histogram, ASampleOnABoundCountsInThatBucketAndAboveTheLastOnlyInInf) {
  static constexpr double kBounds[] = {1, 10};
  Histogram h(kBounds);
  h.Observe(1);
  h.Observe(10.5);
  EXPECT_EQ(h.CumulativeCount(0), 1u);
  EXPECT_EQ(h.CumulativeCount(1), 1u);
  EXPECT_EQ(h.count(), 2u);
  EXPECT_DOUBLE_EQ(h.sum(), 11.5);
}

}  // namespace
}  // namespace fibpool::supervisor
