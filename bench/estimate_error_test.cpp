#include "bench/estimate_error.h"

#include <gtest/gtest.h>

namespace fibpool::bench {
namespace {

TEST(EstimateErrorsFromStats, ReadsEachAlgorithmsJobsPercentilesAndFactor) {
  const auto errors = EstimateErrorsFromStats(
      R"({"workers":[],"estimate_error":{"fast":{"jobs":40,"p50":0.91,"p99":1.7,"factor":0.85},)"
      R"("recursive":{"jobs":0,"p50":0,"p99":0,"factor":1}}})");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].algorithm, "fast");
  EXPECT_EQ(errors[0].jobs, 40u);
  EXPECT_DOUBLE_EQ(errors[0].p50, 0.91);
  EXPECT_DOUBLE_EQ(errors[0].p99, 1.7);
  EXPECT_DOUBLE_EQ(errors[0].factor, 0.85);
  EXPECT_EQ(errors[1].algorithm, "recursive");
  EXPECT_EQ(errors[1].jobs, 0u);
}

TEST(EstimateErrorsFromStats, IsEmptyForAnswersWithoutThem) {
  EXPECT_TRUE(EstimateErrorsFromStats(R"({"workers":[]})").empty());
  EXPECT_TRUE(EstimateErrorsFromStats("ERR bad_request").empty());
  EXPECT_TRUE(EstimateErrorsFromStats(R"({"estimate_error":3})").empty());
}

}  // namespace
}  // namespace fibpool::bench
