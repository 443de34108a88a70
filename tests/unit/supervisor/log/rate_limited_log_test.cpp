#include "supervisor/log/rate_limited_log.h"

#include <gtest/gtest.h>

namespace fibpool::supervisor {
namespace {

using namespace std::chrono_literals;

TEST(RateLimitedLog, AdmitsOneLinePerIntervalAndCountsTheRest) {
  RateLimitedLog log(1s);
  const auto t0 = RateLimitedLog::Clock::time_point{} + 100s;
  std::uint64_t suppressed = 99;
  ASSERT_TRUE(log.Admit(t0, &suppressed));
  EXPECT_EQ(suppressed, 0u);
  EXPECT_FALSE(log.Admit(t0 + 10ms, &suppressed));
  EXPECT_FALSE(log.Admit(t0 + 999ms, &suppressed));
  ASSERT_TRUE(log.Admit(t0 + 1s, &suppressed));
  EXPECT_EQ(suppressed, 2u);
  ASSERT_TRUE(log.Admit(t0 + 5s, &suppressed));
  EXPECT_EQ(suppressed, 0u);
}

TEST(RateLimitedLog, ABurstsHeldBackEventsAreFlushedAtTheEndOfTheInterval) {
  RateLimitedLog log(1s);
  const auto t0 = RateLimitedLog::Clock::time_point{} + 100s;
  std::uint64_t suppressed = 99;
  EXPECT_EQ(log.FlushAt(), std::nullopt);
  ASSERT_TRUE(log.Admit(t0, &suppressed));
  EXPECT_EQ(log.FlushAt(), std::nullopt);  // nothing held back: nothing to flush
  EXPECT_FALSE(log.Flush(t0 + 5s, &suppressed));
  // Three more in the same interval: held back until it ends.
  for (int i = 1; i <= 3; ++i) EXPECT_FALSE(log.Admit(t0 + i * 10ms, &suppressed));
  EXPECT_EQ(log.FlushAt(), t0 + 1s);
  EXPECT_FALSE(log.Flush(t0 + 999ms, &suppressed));
  ASSERT_TRUE(log.Flush(t0 + 1s, &suppressed));
  EXPECT_EQ(suppressed, 3u);
  EXPECT_EQ(log.FlushAt(), std::nullopt);
  EXPECT_FALSE(log.Flush(t0 + 3s, &suppressed));  // reported once
  // The flushed line was the interval's line: an event just after it waits.
  EXPECT_FALSE(log.Admit(t0 + 1s + 1ms, &suppressed));
  EXPECT_EQ(log.FlushAt(), t0 + 2s);
  ASSERT_TRUE(log.Admit(t0 + 2s, &suppressed));  // an event carries the count itself
  EXPECT_EQ(suppressed, 1u);
  EXPECT_EQ(log.FlushAt(), std::nullopt);
}

}  // namespace
}  // namespace fibpool::supervisor
