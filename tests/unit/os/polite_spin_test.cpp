#include "os/polite_spin.h"

#include <gtest/gtest.h>

#include "os/monotonic_clock.h"

namespace fibpool::os {
namespace {

constexpr std::uint64_t kMs = 1'000'000;

TEST(PoliteSpin, AQuickYieldKeepsSpinningAllowed) {
  PoliteSpin spin;
  EXPECT_TRUE(spin.allowed(0));
  spin.Judge(10 * kMs, 10 * kMs + 20'000);  // 20 us: nobody else wanted the CPU
  EXPECT_TRUE(spin.allowed(10 * kMs + 20'000));
}

TEST(PoliteSpin, AYieldThatCameBackASliceLateStopsSpinningForTheBackOff) {
  PoliteSpin spin;
  spin.Judge(10 * kMs, 14 * kMs);  // 4 ms: another program ran meanwhile
  EXPECT_FALSE(spin.allowed(14 * kMs));
  EXPECT_FALSE(spin.allowed(10 * kMs + PoliteSpin::kBackOffNs - 1));
  EXPECT_TRUE(spin.allowed(10 * kMs + PoliteSpin::kBackOffNs));
}

TEST(PoliteSpin, YieldJudgesTheRealYield) {
  PoliteSpin spin;
  const std::uint64_t before = MonotonicNanos();
  spin.Yield();
  const std::uint64_t after = MonotonicNanos();
  // A yield that was not late (the usual case) leaves spinning allowed; one
  // that was, on a loaded machine, may not.
  if (after - before <= PoliteSpin::kContendedYieldNs) {
    EXPECT_TRUE(spin.allowed(after));
  }
}

}  // namespace
}  // namespace fibpool::os
