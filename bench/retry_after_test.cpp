// Reading fibpool's `ERR busy retry_after=S` the way the bench's clients do.
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

}  // namespace
}  // namespace fibpool::bench
