#include "supervisor/sched/result_budget.h"

#include <memory>

#include <gtest/gtest.h>

#include "supervisor/sched/result_lease.h"

namespace fibpool::supervisor {
namespace {

constexpr std::uint64_t kMiB = 1u << 20;
// F(10^8)'s answer needs about 20 MiB.
constexpr std::uint64_t kBig = 20 * kMiB;

TEST(ResultBudget, OnlyAnswersAboveTheInlineLimitNeedABufferOfWholePages) {
  EXPECT_EQ(ResultBudget::BufferBytes(65536, 65536), 0u);
  EXPECT_EQ(ResultBudget::BufferBytes(65537, 65536), 69632u);  // 17 pages
  EXPECT_EQ(ResultBudget::BufferBytes(8192, 100), 8192u);
}

TEST(ResultBudget, ABufferIsGrantedWhileItAndTheHeadroomFitBesideTheBuffersInFlight) {
  ResultBudget budget;
  const std::uint64_t free = 30 * kMiB;  // a 30 MB /dev/shm, empty
  EXPECT_EQ(budget.Route(kBig, free), ResultRoute::kBuffer);
  budget.Dispatched(ResultRoute::kBuffer, kBig);
  // The first buffer may not be written yet: statvfs still says 30 MiB free.
  EXPECT_EQ(budget.Route(kBig, free), std::nullopt);
  EXPECT_EQ(budget.Route(free - kBig - kShmHeadroomBytes, free), ResultRoute::kBuffer);
  EXPECT_EQ(budget.Route(free - kBig - kShmHeadroomBytes + 1, free), std::nullopt);
}

TEST(ResultBudget, HeldBuffersCountOnlyThroughWhatStatvfsSays) {
  ResultBudget budget;
  budget.Dispatched(ResultRoute::kBuffer, kBig);
  budget.Arrived(ResultRoute::kBuffer, kBig);
  EXPECT_EQ(budget.in_flight_bytes(), 0u);
  EXPECT_EQ(budget.held_bytes(), kBig);
  // Its 20 MiB are used in /dev/shm: 10 MiB are left of 30.
  EXPECT_EQ(budget.Route(kBig, 10 * kMiB), std::nullopt);
  EXPECT_EQ(budget.Route(8 * kMiB, 10 * kMiB), ResultRoute::kBuffer);
  budget.Released(ResultRoute::kBuffer, kBig, /*arrived=*/true);
  EXPECT_EQ(budget.held_bytes(), 0u);
  EXPECT_EQ(budget.Route(kBig, 30 * kMiB), ResultRoute::kBuffer);
}

TEST(ResultBudget, AResultThatCannotFitWhenNothingOfThePoolsIsThereTakesThePipeOneAtATime) {
  ResultBudget budget;
  const std::uint64_t free = 16 * kMiB;  // smaller than the answer
  EXPECT_EQ(budget.Route(kBig, free), ResultRoute::kPipe);
  budget.Dispatched(ResultRoute::kPipe, kBig);
  EXPECT_EQ(budget.piped_bytes(), kBig);
  EXPECT_EQ(budget.pipes(), 1u);
  // A second one waits for the first to be written: one at a time in the heap.
  EXPECT_EQ(budget.Route(kBig, free), std::nullopt);
  // A small buffer that fits still goes.
  EXPECT_EQ(budget.Route(kMiB, free), ResultRoute::kBuffer);
  budget.Released(ResultRoute::kPipe, kBig, /*arrived=*/false);
  EXPECT_EQ(budget.Route(kBig, free), ResultRoute::kPipe);
}

TEST(ResultBudget, AResultThatDoesNotFitWaitsWhileThePoolsOwnResultsWillFreeRoom) {
  ResultBudget budget;
  budget.Dispatched(ResultRoute::kBuffer, kMiB);
  EXPECT_EQ(budget.Route(kBig, 16 * kMiB), std::nullopt);
  budget.Arrived(ResultRoute::kBuffer, kMiB);
  EXPECT_EQ(budget.Route(kBig, 15 * kMiB), std::nullopt);  // held for a slow reader
  budget.Released(ResultRoute::kBuffer, kMiB, /*arrived=*/true);
  EXPECT_EQ(budget.Route(kBig, 16 * kMiB), ResultRoute::kPipe);
}

TEST(ResultBudget, JobsWaitForSharedMemoryFirstComeFirstServed) {
  ResultBudget budget;
  EXPECT_EQ(budget.FirstWaiting(), std::nullopt);
  budget.Wait(7);
  budget.Wait(3);
  EXPECT_EQ(budget.FirstWaiting(), 7u);
  budget.PopWaiting();
  EXPECT_EQ(budget.FirstWaiting(), 3u);
  EXPECT_EQ(budget.waiting(), 1u);
  EXPECT_EQ(budget.waits(), 2u);
}

TEST(ResultLease, ALeaseCountsFromDispatchUntilItIsDestroyedAndThenSaysSo) {
  auto owner = std::make_shared<ResultLease::Owner>();
  int releases = 0;
  owner->on_release = [&] { ++releases; };
  {
    ResultLease lease(owner, ResultRoute::kBuffer, kBig);
    EXPECT_EQ(owner->budget.in_flight_bytes(), kBig);
    lease.Arrived();
    EXPECT_EQ(owner->budget.in_flight_bytes(), 0u);
    EXPECT_EQ(owner->budget.held_bytes(), kBig);
    ResultLease moved = std::move(lease);
    EXPECT_TRUE(lease.empty());
    EXPECT_EQ(releases, 0);
  }
  EXPECT_EQ(owner->budget.held_bytes(), 0u);
  EXPECT_EQ(releases, 1);  // once, by the lease moved into
}

TEST(ResultLease, ALeaseAssignedOverReleasesWhatItHeldAndOneOutlivingItsBudgetDoesNothing) {
  auto owner = std::make_shared<ResultLease::Owner>();
  ResultLease lease(owner, ResultRoute::kPipe, kBig);
  lease = ResultLease(owner, ResultRoute::kBuffer, kMiB);
  EXPECT_EQ(owner->budget.piped_bytes(), 0u);
  EXPECT_EQ(owner->budget.in_flight_bytes(), kMiB);
  owner.reset();
  lease = ResultLease();  // the budget is gone: nothing to release, no crash
  EXPECT_TRUE(lease.empty());
}

}  // namespace
}  // namespace fibpool::supervisor
