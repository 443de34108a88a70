// Reading fibpool's `ERR busy retry_after=S` the way the bench's clients do,
// and pairing each refusal with the job accepted next.
#include "bench/retry_after.h"

#include <gtest/gtest.h>

namespace fibpool::bench {
namespace {

TEST(ParseRetryAfter, ReadsTheSecondsOfTheExactRefusalLine) {
  EXPECT_EQ(ParseRetryAfter("ERR busy retry_after=1"), 1u);
  EXPECT_EQ(ParseRetryAfter("ERR busy retry_after=37\n"), 37u);
  EXPECT_EQ(ParseRetryAfter("ERR busy retry_after=31536000"), 31536000u);
}

TEST(ParseRetryAfter, RejectsEveryOtherAnswer) {
  EXPECT_EQ(ParseRetryAfter("12586269025"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("ERR busy"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("ERR busy too many connections; try again later"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("ERR busy retry_after="), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("ERR busy retry_after=0"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("ERR busy retry_after=01"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("ERR busy retry_after=2s"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("ERR busy retry_after=-1"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("ERR busy retry_after=99999999999999999999"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("ERR timeout retry_after=1"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter(" ERR busy retry_after=1"), std::nullopt);
}

TEST(RetryAfterText, CountsEachSecondsValueInAscendingOrder) {
  EXPECT_EQ(RetryAfterText({2, 1, 1, 3, 1, 2}), "1 s: 3, 2 s: 2, 3 s: 1");
  EXPECT_EQ(RetryAfterText({}), "-");
  const auto counts = RetryAfterCounts({5, 5, 1});
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts.at(1), 1u);
  EXPECT_EQ(counts.at(5), 2u);
}

constexpr std::int64_t kS = 1'000'000'000;

TEST(WaitAfterRefusal, EachRefusalTakesTheWaitOfTheFirstJobSentAtOrAfterIt) {
  // Accepted jobs, out of order as clients report them: sent at 0.5, 3, 1 s.
  const std::vector<AcceptedJob> accepted = {{kS / 2, 4 * kS}, {3 * kS, 2 * kS}, {1 * kS, 3 * kS}};
  // Refused at 1 s (S 2): the job sent at 1 s; at 2 s (S 2): the one at 3 s;
  // at 0.2 s (S 1): the one at 0.5 s; at 5 s: none was accepted after it.
  const auto waits =
      WaitAfterRefusal({{1 * kS, 2}, {2 * kS, 2}, {kS / 5, 1}, {5 * kS, 3}}, accepted);
  ASSERT_EQ(waits.size(), 2u);
  const auto one = waits.at(1).Summarize();
  EXPECT_EQ(one.count, 1u);
  EXPECT_DOUBLE_EQ(one.max.us, 4e6);
  const auto two = waits.at(2).Summarize();
  EXPECT_EQ(two.count, 2u);
  EXPECT_DOUBLE_EQ(two.min_us, 2e6);
  EXPECT_DOUBLE_EQ(two.max.us, 3e6);
}

TEST(WaitAfterRefusal, NothingWithoutAcceptedJobs) {
  EXPECT_TRUE(WaitAfterRefusal({{0, 1}}, {}).empty());
}

}  // namespace
}  // namespace fibpool::bench
