#include "supervisor/pool/lane.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "tests/support/segment_name.h"

namespace fibpool::supervisor {
namespace {

constexpr std::uint32_t kLaneCells = 8;

std::string TestSegmentName() { return testing::TestSegmentName("lane"); }

ipc::Job Compute(std::uint64_t id, std::uint64_t cost) {
  return ipc::Job{id, ipc::JobKind::kCompute, ipc::Algorithm::kFast, 10, cost};
}

TEST(Lane, CountsTheLoadOfPushedJobsUntilTheyAreResolved) {
  Lane lane = Lane::Create(TestSegmentName(), 16, kLaneCells).value();
  ASSERT_TRUE(lane.Push(Compute(1, 100), /*big=*/false));
  ASSERT_TRUE(lane.Push(Compute(2, 5000), /*big=*/true));
  EXPECT_EQ(lane.queue().Depth(), 2u);
  EXPECT_EQ(lane.load().in_flight, 2u);
  EXPECT_EQ(lane.load().big_in_flight, 1u);
  EXPECT_EQ(lane.load().cost_in_flight, 5100u);
  lane.Resolve(2);
  EXPECT_EQ(lane.load().in_flight, 1u);
  EXPECT_EQ(lane.load().big_in_flight, 0u);
  EXPECT_EQ(lane.load().cost_in_flight, 100u);
}

TEST(Lane, AFullQueueTakesNothingAndCountsNothing) {
  Lane lane = Lane::Create(TestSegmentName(), 2, kLaneCells).value();
  ASSERT_TRUE(lane.Push(Compute(1, 1), false));
  ASSERT_TRUE(lane.Push(Compute(2, 1), false));
  EXPECT_FALSE(lane.Push(Compute(3, 1), false));
  EXPECT_EQ(lane.load().in_flight, 2u);
}

TEST(Lane, ShrinkingQueuesOneSentinelPerExtraWorker) {
  Lane lane = Lane::Create(TestSegmentName(), 16, kLaneCells).value();
  lane.set_target(3);
  EXPECT_EQ(lane.Missing(), 3u);
  for (int i = 0; i < 3; ++i) lane.OnSpawned();
  EXPECT_EQ(lane.Missing(), 0u);
  lane.set_target(1);
  EXPECT_EQ(lane.RetireExtra(), 2u);
  EXPECT_EQ(lane.queue().Depth(), 2u);
  EXPECT_EQ(lane.RetireExtra(), 0u);  // already retiring
  EXPECT_EQ(lane.Missing(), 0u);
  lane.OnExited(/*was_ready=*/false, /*took_resize_sentinel=*/true);
  EXPECT_EQ(lane.live(), 2u);
  EXPECT_EQ(lane.Missing(), 0u);  // one still retiring
  // Growing again: the retiring worker does not count.
  lane.set_target(2);
  EXPECT_EQ(lane.Missing(), 1u);
}

TEST(Lane, AWorkerRetiringIsNotReadyForDispatchSoNoJobQueuesBehindItsSentinel) {
  // Two main workers, one running a big job; the pool shrinks to one.
  Lane main = Lane::Create(TestSegmentName(), 16, kLaneCells).value();
  Lane reserve = Lane::Create(TestSegmentName() + "r", 16, kLaneCells).value();
  main.set_target(2);
  for (int i = 0; i < 2; ++i) {
    main.OnSpawned();
    main.OnReady();
  }
  ASSERT_TRUE(main.Push(Compute(1, 5'000'000'000), /*big=*/true));
  ASSERT_TRUE(Admit(main.load(), reserve.load()).big_to_main);
  main.set_target(1);
  ASSERT_EQ(main.RetireExtra(), 1u);
  // The free worker will take the sentinel and exit: the lane takes nothing
  // more, as a job pushed now would wait for the big one to finish.
  EXPECT_EQ(main.load().ready, 1u);
  EXPECT_EQ(main.ready(), 1u);
  EXPECT_EQ(Admit(main.load(), reserve.load()), Admission{});
  main.OnExited(/*was_ready=*/true, /*took_resize_sentinel=*/true);
  EXPECT_EQ(main.load().ready, 1u);
  main.Resolve(1);
  EXPECT_TRUE(Admit(main.load(), reserve.load()).big_to_main);
}

TEST(Lane, ResolvingAJobItDoesNotHoldChangesNothing) {
  Lane lane = Lane::Create(TestSegmentName(), 16, kLaneCells).value();
  ASSERT_TRUE(lane.Push(Compute(1, 100), /*big=*/true));
  lane.Resolve(1);
  lane.Resolve(1);  // twice
  lane.Resolve(7);  // never pushed
  EXPECT_EQ(lane.load().in_flight, 0u);
  EXPECT_EQ(lane.load().big_in_flight, 0u);
  EXPECT_EQ(lane.load().cost_in_flight, 0u);
}

TEST(Lane, AnExitItWasNotToldOfLeavesItsCountsAtZero) {
  Lane lane = Lane::Create(TestSegmentName(), 16, kLaneCells).value();
  lane.set_target(1);
  lane.OnExited(/*was_ready=*/true, /*took_resize_sentinel=*/true);
  EXPECT_EQ(lane.live(), 0u);
  EXPECT_EQ(lane.ready(), 0u);
  EXPECT_EQ(lane.Missing(), 1u);
}

TEST(Lane, AShrinkThenTwoDeathsDuringTheBackOffStillRespawnsUpToTheTarget) {
  Lane lane = Lane::Create(TestSegmentName(), 16, kLaneCells).value();
  lane.set_target(3);
  for (int i = 0; i < 3; ++i) {
    lane.OnSpawned();
    lane.OnReady();
  }
  lane.set_target(1);
  ASSERT_EQ(lane.RetireExtra(), 2u);
  // Two workers crash before taking the sentinels (the pool backs off
  // before it replaces them): the sentinels stay queued for whoever comes.
  lane.OnExited(/*was_ready=*/true, /*took_resize_sentinel=*/false);
  lane.OnExited(/*was_ready=*/true, /*took_resize_sentinel=*/false);
  EXPECT_EQ(lane.live(), 1u);
  EXPECT_EQ(lane.RetireExtra(), 0u);
  // Two of the three workers then alive will take the two sentinels.
  EXPECT_EQ(lane.Missing(), 2u);
  lane.OnSpawned();
  lane.OnSpawned();
  EXPECT_EQ(lane.Missing(), 0u);
  for (std::uint32_t cell = 0; cell < 2; ++cell) {
    ipc::Job job;
    ASSERT_EQ(lane.queue().Pop(cell, std::chrono::microseconds(0), std::chrono::milliseconds(0),
                               &job),
              os::Result<std::uint32_t>(1));
    ASSERT_EQ(job.kind, ipc::JobKind::kSentinel);
    lane.OnExited(/*was_ready=*/false, /*took_resize_sentinel=*/true);
  }
  EXPECT_EQ(lane.live(), 1u);
  EXPECT_EQ(lane.Missing(), 0u);
  EXPECT_EQ(lane.queue().Depth(), 0u);
  // The last one takes its stop sentinel like any other.
  EXPECT_EQ(lane.SendStopSentinels(), 1u);
}

TEST(Lane, StoppingCountsOnlyTheSentinelsThatFitInTheQueue) {
  Lane lane = Lane::Create(TestSegmentName(), 2, kLaneCells).value();
  for (int i = 0; i < 3; ++i) lane.OnSpawned();
  EXPECT_EQ(lane.SendStopSentinels(), 2u);
  EXPECT_EQ(lane.queue().Depth(), 2u);
}

TEST(Lane, AJobAnsweredAndUnclaimedIsUnaccountedForWhileQueuedAndClaimedOnesAreNot) {
  Lane lane = Lane::Create(TestSegmentName(), 16, kLaneCells).value();
  for (std::uint64_t id = 1; id <= 3; ++id) ASSERT_TRUE(lane.Push(Compute(id, 10), false));
  ipc::Job job;
  // Cell 0 takes job 1, answers it and clears its claims; cell 1 takes job 2
  // and holds it; job 3 stays queued.
  ASSERT_EQ(lane.queue().Pop(0, std::chrono::microseconds(0), std::chrono::milliseconds(0), &job),
            os::Result<std::uint32_t>(1));
  lane.queue().FinishBatch(0);
  ASSERT_EQ(lane.queue().Pop(1, std::chrono::microseconds(0), std::chrono::milliseconds(0), &job),
            os::Result<std::uint32_t>(1));
  std::vector<std::uint64_t> unaccounted;
  lane.AppendUnaccounted(&unaccounted);
  EXPECT_EQ(unaccounted, std::vector<std::uint64_t>{1});
  lane.Resolve(1);  // its answer arrived
  unaccounted.clear();
  lane.AppendUnaccounted(&unaccounted);
  EXPECT_TRUE(unaccounted.empty());
}

TEST(Lane, UnfinishedWorkIsThePushedEstimatesLessWhatTheRunningJobsHaveRun) {
  Lane lane = Lane::Create(TestSegmentName(), 16, kLaneCells).value();
  ASSERT_TRUE(lane.Push(Compute(1, 1000), false));
  ASSERT_TRUE(lane.Push(Compute(2, 500), false));
  ipc::Job job;
  ASSERT_EQ(lane.queue().Pop(2, std::chrono::microseconds(0), std::chrono::milliseconds(0), &job),
            os::Result<std::uint32_t>(1));
  lane.queue().StartJob(2, 1);
  const std::uint64_t started = lane.queue().cell(2).started_ns.load();
  EXPECT_EQ(lane.UnfinishedWork(started + 400), 1100u);
  EXPECT_EQ(lane.UnfinishedWork(started + 5000), 500u);  // a running job counts its estimate at most
}

TEST(Lane, StoppingQueuesASentinelOnlyForWorkersWithoutOne) {
  Lane lane = Lane::Create(TestSegmentName(), 16, kLaneCells).value();
  for (int i = 0; i < 3; ++i) lane.OnSpawned();
  lane.set_target(2);
  ASSERT_EQ(lane.RetireExtra(), 1u);
  EXPECT_EQ(lane.SendStopSentinels(), 2u);
  EXPECT_EQ(lane.queue().Depth(), 3u);
}

TEST(Lane, ReclaimingADeadWorkersCellReturnsItsClaimsAndTheJobItWasRunning) {
  Lane lane = Lane::Create(TestSegmentName(), 16, kLaneCells).value();
  ASSERT_TRUE(lane.Push(Compute(1, 10), false));
  ASSERT_TRUE(lane.Push(Compute(2, 10), false));
  ipc::JobBatch batch;
  ASSERT_EQ(lane.queue().PopBatch(3, std::chrono::microseconds(0), std::chrono::milliseconds(0),
                                  ipc::TakeLimit{ipc::kBatchCostNs}, &batch),
            os::Result<std::uint32_t>(2));
  ASSERT_EQ(batch.size, 2u);
  lane.queue().StartJob(3, 1);
  std::uint64_t running = 0;
  EXPECT_EQ(lane.Reclaim(3, &running), (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(running, 1u);
  EXPECT_TRUE(lane.Reclaim(3, &running).empty());
  lane.ResetCell(3);
  EXPECT_EQ(lane.queue().cell(3).job_id.load(), 0u);
}

TEST(Lane, OwnsItsSegmentAndRemovesItWhenDestroyed) {
  const std::string name = TestSegmentName();
  {
    Lane lane = Lane::Create(name, 16, kLaneCells).value();
    EXPECT_TRUE(std::filesystem::exists("/dev/shm/" + name));
  }
  EXPECT_FALSE(std::filesystem::exists("/dev/shm/" + name));
}

}  // namespace
}  // namespace fibpool::supervisor
