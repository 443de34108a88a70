#include "bench/completion_rate.h"

#include <gtest/gtest.h>

namespace fibpool::bench {
namespace {

TEST(CompletionsBy, CountsWholeAnswersAtTheirArrival) {
  const std::vector<std::int64_t> t = {100, 200, 300};
  EXPECT_DOUBLE_EQ(CompletionsBy(t, 100), 1);
  EXPECT_DOUBLE_EQ(CompletionsBy(t, 200), 2);
  EXPECT_DOUBLE_EQ(CompletionsBy(t, 300), 3);
}

TEST(CompletionsBy, BetweenTwoAnswersCountsThePartOfTheGapCovered) {
  const std::vector<std::int64_t> t = {100, 200, 300};
  EXPECT_DOUBLE_EQ(CompletionsBy(t, 150), 1.5);
  EXPECT_DOUBLE_EQ(CompletionsBy(t, 275), 2.75);
}

TEST(CompletionsBy, BeforeTheFirstAnswerCountsFromTheStartOfTheRun) {
  const std::vector<std::int64_t> t = {400, 500};
  EXPECT_DOUBLE_EQ(CompletionsBy(t, 0), 0);
  EXPECT_DOUBLE_EQ(CompletionsBy(t, 100), 0.25);
  EXPECT_DOUBLE_EQ(CompletionsBy(t, -5), 0);
}

TEST(CompletionsBy, AfterTheLastAnswerStaysAtTheirNumber) {
  const std::vector<std::int64_t> t = {100, 200};
  EXPECT_DOUBLE_EQ(CompletionsBy(t, 10'000), 2);
  EXPECT_DOUBLE_EQ(CompletionsBy({}, 10'000), 0);
}

TEST(CompletionsBy, AnswersArrivingTogetherCountAtOnce) {
  const std::vector<std::int64_t> t = {100, 100, 300};
  EXPECT_DOUBLE_EQ(CompletionsBy(t, 100), 2);
  EXPECT_DOUBLE_EQ(CompletionsBy(t, 200), 2.5);
}

TEST(CompletionsBetween, ASteadyStreamGivesItsRateWhereverThePhaseStarts) {
  // One answer every 250 units: a phase of 1000 holds 4, at any offset.
  std::vector<std::int64_t> t;
  for (std::int64_t i = 1; i <= 40; ++i) t.push_back(i * 250);
  for (std::int64_t from : {1000, 1001, 1125, 1249}) {
    EXPECT_DOUBLE_EQ(CompletionsBetween(t, from, from + 1000), 4) << from;
  }
}

}  // namespace
}  // namespace fibpool::bench
