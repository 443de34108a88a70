#include "supervisor/sched/dispatch_policy.h"

#include <gtest/gtest.h>

namespace fibpool::supervisor {
namespace {

LaneLoad Load(std::uint64_t ready, std::uint64_t in_flight, std::uint64_t big, std::uint64_t cost) {
  return LaneLoad{ready, in_flight, big, cost};
}

TEST(DispatchPolicy, AFreeMainWorkerTakesAnyJob) {
  const Admission a = Admit(Load(2, 1, 1, 1), Load(1, 0, 0, 0));
  EXPECT_TRUE(a.big_to_main);
  EXPECT_TRUE(a.cheap_to_main);
}

TEST(DispatchPolicy, BigJobsWaitWhenEveryMainWorkerHasAJob) {
  const Admission a = Admit(Load(2, 2, 0, 1000), Load(1, 0, 0, 0));
  EXPECT_FALSE(a.big_to_main);
  EXPECT_TRUE(a.cheap_to_main);  // queued behind cheap ones, within budget
}

TEST(DispatchPolicy, CheapJobsDoNotQueueBehindABigOneInTheMainLane) {
  const Admission a = Admit(Load(2, 2, 1, 1000), Load(1, 0, 0, 0));
  EXPECT_FALSE(a.cheap_to_main);
  EXPECT_TRUE(a.cheap_to_reserve);
}

TEST(DispatchPolicy, EachLaneHoldsAtMostTwoBatchesOfWorkPerReadyWorker) {
  const std::uint64_t full = 2 * kQueuedCostPerWorkerNs;
  const Admission a = Admit(Load(2, 5, 0, full), Load(1, 3, 0, kQueuedCostPerWorkerNs));
  EXPECT_FALSE(a.cheap_to_main);
  EXPECT_FALSE(a.cheap_to_reserve);
  const Admission b = Admit(Load(2, 5, 0, full - 1), Load(1, 3, 0, kQueuedCostPerWorkerNs - 1));
  EXPECT_TRUE(b.cheap_to_main);
  EXPECT_TRUE(b.cheap_to_reserve);
}

TEST(DispatchPolicy, ALaneWithoutReadyWorkersTakesNothing) {
  const Admission a = Admit(Load(0, 0, 0, 0), Load(0, 0, 0, 0));
  EXPECT_EQ(a, Admission{});
}

TEST(DispatchPolicy, OneWakeUpPerBatchAWorkerWillTake) {
  WakeCounter w;
  EXPECT_EQ(w.takes(), 0);
  w.Add(ipc::kBatchCostNs / 4);
  w.Add(ipc::kBatchCostNs / 4);
  w.Add(ipc::kBatchCostNs / 4);
  EXPECT_EQ(w.takes(), 1);
  w.Add(ipc::kBatchCostNs / 2);  // over the batch's budget: the next take
  EXPECT_EQ(w.takes(), 2);
  w.Add(10 * ipc::kBatchCostNs);  // a big job is a take of its own
  EXPECT_EQ(w.takes(), 3);
}

}  // namespace
}  // namespace fibpool::supervisor
