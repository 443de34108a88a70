#include "supervisor/pool/respawn_backoff.h"

#include <gtest/gtest.h>

namespace fibpool::supervisor {
namespace {

using namespace std::chrono_literals;

constexpr auto kQuick = 10ms;

TEST(RespawnBackoff, NoDelayUntilThreeQuickDeathsInARow) {
  RespawnBackoff b;
  EXPECT_FALSE(b.OnCrash(kQuick));
  EXPECT_FALSE(b.OnCrash(kQuick));
  EXPECT_EQ(b.delay(), 0ms);
  EXPECT_TRUE(b.OnCrash(kQuick));
  EXPECT_EQ(b.delay(), RespawnBackoff::kFirstBackoff);
}

TEST(RespawnBackoff, DoublesUpToTheMaximum) {
  RespawnBackoff b;
  for (int i = 0; i < 3; ++i) b.OnCrash(kQuick);
  EXPECT_EQ(b.delay(), 100ms);
  b.OnCrash(kQuick);
  EXPECT_EQ(b.delay(), 200ms);
  for (int i = 0; i < 20; ++i) b.OnCrash(kQuick);
  EXPECT_EQ(b.delay(), RespawnBackoff::kMaxBackoff);
  EXPECT_EQ(b.delay(), 5s);
}

TEST(RespawnBackoff, AnAnswerOrALongLifeEndsTheBackoff) {
  RespawnBackoff b;
  for (int i = 0; i < 4; ++i) b.OnCrash(kQuick);
  ASSERT_GT(b.delay(), 0ms);
  b.OnAnswer();
  EXPECT_EQ(b.delay(), 0ms);
  EXPECT_EQ(b.quick_deaths(), 0u);

  for (int i = 0; i < 4; ++i) b.OnCrash(kQuick);
  ASSERT_GT(b.delay(), 0ms);
  EXPECT_FALSE(b.OnCrash(RespawnBackoff::kQuickDeath));
  EXPECT_EQ(b.delay(), 0ms);
}

TEST(RespawnBackoff, ASpawnFailureBacksOffAtOnce) {
  RespawnBackoff b;
  b.OnSpawnFailed();
  EXPECT_EQ(b.delay(), 100ms);
  b.OnSpawnFailed();
  EXPECT_EQ(b.delay(), 200ms);
}

}  // namespace
}  // namespace fibpool::supervisor
