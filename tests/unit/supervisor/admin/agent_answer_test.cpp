#include "supervisor/admin/agent_answer.h"

#include <gtest/gtest.h>

namespace fibpool::supervisor {
namespace {

constexpr std::uint64_t kHalf = kHalfWeightCostNs;

TEST(AgentAnswer, AnIdlePoolAsksForTheFullWeight) {
  EXPECT_EQ(AgentWeightPercent(0, 4), 100u);
  EXPECT_EQ(AgentAnswer(AgentState{{false, 4}, 0}), "up ready 100%\n");
}

TEST(AgentAnswer, TheWeightHalvesAtTheHalfWeightCostPerWorker) {
  EXPECT_EQ(AgentWeightPercent(kHalf, 1), 50u);
  EXPECT_EQ(AgentWeightPercent(4 * kHalf, 4), 50u);
  EXPECT_EQ(AgentWeightPercent(3 * kHalf, 1), 25u);
  EXPECT_EQ(AgentAnswer(AgentState{{false, 2}, 6 * kHalf}), "up ready 25%\n");
}

TEST(AgentAnswer, MoreQueuedCostNeverRaisesTheWeight) {
  unsigned previous = 100;
  for (std::uint64_t cost = 0; cost <= 200 * kHalf; cost += kHalf / 8) {
    const unsigned weight = AgentWeightPercent(cost, 2);
    EXPECT_LE(weight, previous) << cost;
    previous = weight;
  }
  EXPECT_LT(previous, 100u);
}

TEST(AgentAnswer, MoreWorkersForTheSameCostAskForMore) {
  EXPECT_LT(AgentWeightPercent(8 * kHalf, 2), AgentWeightPercent(8 * kHalf, 8));
}

TEST(AgentAnswer, TinyJobsLeaveTheFullWeight) {
  // A thousand jobs of a few microseconds: a millisecond of work.
  EXPECT_EQ(AgentWeightPercent(1'000 * 2'000, 1), 100u);
}

TEST(AgentAnswer, TheWeightNeverFallsBelowOnePercent) {
  EXPECT_EQ(AgentWeightPercent(1'000 * kHalf, 1), 1u);
  EXPECT_EQ(AgentWeightPercent(UINT64_MAX, 1), 1u);
  EXPECT_EQ(AgentAnswer(AgentState{{false, 1}, UINT64_MAX}), "up ready 1%\n");
}

TEST(AgentAnswer, NoReadyWorkerCountsAsOneForTheWeightAndAnswersDown) {
  EXPECT_EQ(AgentWeightPercent(kHalf, 0), 50u);
  EXPECT_EQ(AgentAnswer(AgentState{{false, 0}, 0}), "down #no worker available\n");
}

TEST(AgentAnswer, DrainingAnswersDrainWhateverTheLoad) {
  EXPECT_EQ(AgentAnswer(AgentState{{true, 4}, 0}), "drain\n");
  EXPECT_EQ(AgentAnswer(AgentState{{true, 0}, 50 * kHalf}), "drain\n");
}

}  // namespace
}  // namespace fibpool::supervisor
