#include "supervisor/sched/quarantine.h"

#include <gtest/gtest.h>

namespace fibpool::supervisor {
namespace {

using namespace std::chrono_literals;
using ipc::Algorithm;

constexpr std::uint64_t kSecond = 1'000'000'000;

TEST(Quarantine, AnInputIsHeldForThePeriodAndThenReleased) {
  Quarantine q(60s, 16);
  q.Add(Algorithm::kRecursive, 50, 10 * kSecond);
  std::chrono::nanoseconds left{};
  EXPECT_TRUE(q.Holds(Algorithm::kRecursive, 50, 10 * kSecond, &left));
  EXPECT_EQ(left, 60s);
  EXPECT_TRUE(q.Holds(Algorithm::kRecursive, 50, 69 * kSecond, &left));
  EXPECT_EQ(left, 1s);
  EXPECT_FALSE(q.Holds(Algorithm::kRecursive, 50, 70 * kSecond));
  EXPECT_EQ(q.size(), 0u);
}

TEST(Quarantine, HeldCountsOnlyInputsWhosePeriodHasNotEnded) {
  Quarantine q(60s, 16);
  q.Add(Algorithm::kRecursive, 50, 0);
  q.Add(Algorithm::kRecursive, 51, 30 * kSecond);
  EXPECT_EQ(q.Held(59 * kSecond), 2u);
  EXPECT_EQ(q.Held(60 * kSecond), 1u);  // nothing has dropped the expired one yet
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(q.Held(90 * kSecond), 0u);
}

TEST(Quarantine, OnlyTheSameAlgorithmAndNAreHeld) {
  Quarantine q(60s, 16);
  q.Add(Algorithm::kRecursive, 50, 0);
  EXPECT_FALSE(q.Holds(Algorithm::kFast, 50, 1));
  EXPECT_FALSE(q.Holds(Algorithm::kRecursive, 49, 1));
}

TEST(Quarantine, AddingAHeldInputAgainDoesNotExtendItsPeriod) {
  Quarantine q(60s, 16);
  q.Add(Algorithm::kFast, 7, 0);
  q.Add(Algorithm::kFast, 7, 30 * kSecond);
  EXPECT_EQ(q.size(), 1u);
  EXPECT_FALSE(q.Holds(Algorithm::kFast, 7, 60 * kSecond));
}

TEST(Quarantine, ANewPeriodAppliesToTheInputsHeldAlready) {
  Quarantine q(3600s, 16);
  q.Add(Algorithm::kRecursive, 50, 0);
  q.Add(Algorithm::kRecursive, 51, 100 * kSecond);
  q.SetPeriod(120s);  // shorter: 50 ends at 120 s, 51 at 220 s
  std::chrono::nanoseconds left{};
  EXPECT_TRUE(q.Holds(Algorithm::kRecursive, 50, 110 * kSecond, &left));
  EXPECT_EQ(left, 10s);
  EXPECT_EQ(q.Held(130 * kSecond), 1u);
  EXPECT_FALSE(q.Holds(Algorithm::kRecursive, 50, 130 * kSecond));
  q.SetPeriod(1s);  // shorter than their age: released at once
  EXPECT_FALSE(q.Holds(Algorithm::kRecursive, 51, 130 * kSecond));
  EXPECT_EQ(q.size(), 0u);
  q.Add(Algorithm::kFast, 9, 200 * kSecond);
  q.SetPeriod(600s);  // longer: held longer
  EXPECT_TRUE(q.Holds(Algorithm::kFast, 9, 700 * kSecond, &left));
  EXPECT_EQ(left, 100s);
}

TEST(Quarantine, AtCapacityTheEntryThatEndsFirstMakesRoom) {
  Quarantine q(60s, 3);
  for (std::uint64_t n = 1; n <= 5; ++n) q.Add(Algorithm::kFast, n, n);
  EXPECT_EQ(q.size(), 3u);
  EXPECT_FALSE(q.Holds(Algorithm::kFast, 1, 6));
  EXPECT_FALSE(q.Holds(Algorithm::kFast, 2, 6));
  for (std::uint64_t n = 3; n <= 5; ++n) EXPECT_TRUE(q.Holds(Algorithm::kFast, n, 6)) << n;
}

}  // namespace
}  // namespace fibpool::supervisor
