#include "supervisor/sched/backlog_admission.h"

#include <gtest/gtest.h>

namespace fibpool::supervisor {
namespace {

using Action = BacklogVerdict::Action;

TEST(BacklogAdmission, BelowMaxBacklogEveryJobGetsInEvenFromTheLargestFlow) {
  EXPECT_EQ(DecideBacklog({4, 5, 4, 4, true}).action, Action::kAdmit);
  EXPECT_EQ(DecideBacklog({0, 1, 0, 0, false}).action, Action::kAdmit);
}

TEST(BacklogAdmission, AtMaxBacklogANewFlowPushesOutTheLargestFlowsLastJob) {
  // A holds all 5 places; B holds none.
  EXPECT_EQ(DecideBacklog({5, 5, 0, 5, false}),
            (BacklogVerdict{Action::kEvictLargest, BusyReason::kFlowShare}));
}

TEST(BacklogAdmission, AtMaxBacklogTheLargestFlowsOwnJobIsRefusedAsItsShare) {
  EXPECT_EQ(DecideBacklog({5, 5, 5, 5, true}),
            (BacklogVerdict{Action::kRefuse, BusyReason::kFlowShare}));
  // Tied with another flow for the most: still its share.
  EXPECT_EQ(DecideBacklog({6, 6, 3, 3, true}),
            (BacklogVerdict{Action::kRefuse, BusyReason::kFlowShare}));
}

TEST(BacklogAdmission, AFlowOneJobShortOfTheLargestIsRefusedAsFullNotSwappedBackAndForth) {
  // After a swap it would hold more than the largest: the two would push
  // each other's jobs out in turn.
  EXPECT_EQ(DecideBacklog({5, 5, 2, 3, false}),
            (BacklogVerdict{Action::kRefuse, BusyReason::kBacklogFull}));
  // Two short: the swap leaves it no larger than the other.
  EXPECT_EQ(DecideBacklog({5, 5, 1, 3, false}).action, Action::kEvictLargest);
}

TEST(BacklogAdmission, EveryFlowWithOneJobMeansTheBacklogIsFull) {
  EXPECT_EQ(DecideBacklog({5, 5, 0, 1, false}),
            (BacklogVerdict{Action::kRefuse, BusyReason::kBacklogFull}));
}

TEST(BacklogAdmission, JobsWaitingOutsideTheQueueFillItButAreNeverPushedOut) {
  FairQueue queue;
  // max_backlog 3: two jobs wait for /dev/shm room, A has one queued.
  queue.Push("A", 1, 10, JobSize::kCheap);
  BacklogRoom room = RoomFor(queue, "B", 2, 3);
  EXPECT_EQ(room.verdict, (BacklogVerdict{Action::kRefuse, BusyReason::kBacklogFull}));
  room = RoomFor(queue, "B", 0, 3);
  EXPECT_EQ(room.verdict.action, Action::kAdmit);
}

TEST(BacklogAdmission, RoomForNamesTheLargestFlowAndRemoveLastTakesItsLatestJob) {
  FairQueue queue;
  queue.Push("A", 1, 10, JobSize::kCheap);
  queue.Push("A", 2, 30, JobSize::kBig);
  queue.Push("A", 3, 20, JobSize::kCheap);
  queue.Push("C", 4, 10, JobSize::kCheap);
  const BacklogRoom room = RoomFor(queue, "B", 0, 4);
  EXPECT_EQ(room.verdict.action, Action::kEvictLargest);
  EXPECT_EQ(room.largest, "A");
  EXPECT_EQ(queue.RemoveLast("A"), 2u);  // the latest deadline: run last
  EXPECT_EQ(queue.Waiting("A"), 2u);
  EXPECT_EQ(queue.size(), 3u);
  EXPECT_EQ(queue.RemoveLast("A"), 3u);
  EXPECT_EQ(queue.RemoveLast("A"), 1u);
  EXPECT_EQ(queue.RemoveLast("A"), std::nullopt);
  EXPECT_EQ(queue.flows(), 1u);  // A forgotten: nothing waits or runs
  // The queue still serves what is left.
  const auto head = queue.Peek();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->job_id, 4u);
}

}  // namespace
}  // namespace fibpool::supervisor
