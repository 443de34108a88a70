#include "supervisor/pool/lost_job_sweep.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <vector>

namespace fibpool::supervisor {
namespace {

using Ids = std::vector<std::uint64_t>;
constexpr std::uint64_t kGraceNs = 1'000;

TEST(LostJobSweep, AJobUnaccountedForAtEverySweepForTheGraceIsLost) {
  LostJobSweep sweep{std::chrono::nanoseconds(kGraceNs)};
  EXPECT_EQ(sweep.Sweep({7}, 10'000), Ids{});
  EXPECT_EQ(sweep.Sweep({7}, 10'500), Ids{});
  EXPECT_EQ(sweep.Sweep({7}, 11'000), Ids{7});
  // Returned once: listed again, it starts over.
  EXPECT_EQ(sweep.Sweep({7}, 11'100), Ids{});
}

TEST(LostJobSweep, AJobASweepDoesNotListStartsOverWhenListedAgain) {
  // Its answer arrived, or it was found in a queue or a claim meanwhile.
  LostJobSweep sweep{std::chrono::nanoseconds(kGraceNs)};
  EXPECT_EQ(sweep.Sweep({7, 8}, 10'000), Ids{});
  EXPECT_EQ(sweep.Sweep({8}, 10'600), Ids{});
  EXPECT_EQ(sweep.Sweep({7, 8}, 11'000), Ids{8});
  EXPECT_EQ(sweep.Sweep({7}, 11'900), Ids{});
  EXPECT_EQ(sweep.Sweep({7}, 12'000), Ids{7});
}

TEST(LostJobSweep, NothingUnaccountedForIsNothingLost) {
  LostJobSweep sweep;
  EXPECT_EQ(sweep.Sweep({}, 0), Ids{});
  EXPECT_EQ(sweep.Sweep({}, 10'000'000'000), Ids{});
}

}  // namespace
}  // namespace fibpool::supervisor
