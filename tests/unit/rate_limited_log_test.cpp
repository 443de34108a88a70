#include "supervisor/rate_limited_log.h"

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

}  // namespace
}  // namespace fibpool::supervisor
