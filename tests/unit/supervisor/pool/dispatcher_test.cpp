#include "supervisor/pool/dispatcher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "tests/support/segment_name.h"

namespace fibpool::supervisor {
namespace {

constexpr std::uint32_t kCells = 8;

// Two lanes in real shared memory, `main_ready` and `reserve_ready` workers
// counted as ready (no processes: nothing takes from the queues).
class DispatcherFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    main_ = Lane::Create(testing::TestSegmentName("dispatch.main"), 64, kCells).value();
    reserve_ = Lane::Create(testing::TestSegmentName("dispatch.reserve"), 64, kCells).value();
  }
  void Ready(Lane& lane, int workers) {
    for (int i = 0; i < workers; ++i) {
      lane.OnSpawned();
      lane.OnReady();
    }
  }
  std::uint64_t Submit(ipc::Algorithm algorithm, std::uint64_t n) {
    const JobSpec spec = MakeJobSpec(algorithm, n);
    const std::uint64_t id = jobs_.Add(spec, spec.cost_ns, "192.0.2.1", [](JobResult&&) {}, 0);
    const PendingJob& job = *jobs_.Find(id);
    backlog_.Push(job.flow, id, job.deadline, job.size);
    return id;
  }
  void Dispatch() { DispatchWaiting(backlog_, jobs_, main_, reserve_, routing_); }
  PendingJob::State StateOf(std::uint64_t id) { return jobs_.Find(id)->state; }
  const ResultBudget& budget() const { return routing_.results->budget; }

  Lane main_, reserve_;
  JobTable jobs_;
  FairQueue backlog_;
  std::uint64_t shm_free_ = std::uint64_t{1} << 30;  // what "statvfs" says
  ResultRouting routing_{std::make_shared<ResultLease::Owner>(), [this] { return shm_free_; }};
};

// F(10^8)'s answer: about 20.9 MB of digits.
constexpr std::uint64_t kHugeN = 100'000'000;
constexpr std::uint64_t kMB = 1'000'000;

TEST_F(DispatcherFixture, ABigJobTakesAFreeMainWorkerAndTheNextCheapOneGoesToTheReserve) {
  Ready(main_, 1);
  Ready(reserve_, 1);
  const std::uint64_t big = Submit(ipc::Algorithm::kRecursive, 45);
  Dispatch();
  EXPECT_EQ(jobs_.Find(big)->state, PendingJob::State::kQueued);
  EXPECT_EQ(jobs_.Find(big)->lane, 0u);
  const std::uint64_t cheap = Submit(ipc::Algorithm::kFast, 10);
  Dispatch();
  EXPECT_EQ(jobs_.Find(cheap)->state, PendingJob::State::kQueued);
  EXPECT_EQ(jobs_.Find(cheap)->lane, 1u);
  EXPECT_EQ(main_.queue().Depth(), 1u);
  EXPECT_EQ(reserve_.queue().Depth(), 1u);
}

TEST_F(DispatcherFixture, ABigJobWaitsInTheBacklogWhileEveryMainWorkerHasAJob) {
  Ready(main_, 1);
  Ready(reserve_, 1);
  Submit(ipc::Algorithm::kRecursive, 45);
  const std::uint64_t second = Submit(ipc::Algorithm::kRecursive, 45);
  Dispatch();
  EXPECT_EQ(jobs_.Find(second)->state, PendingJob::State::kBacklog);
  EXPECT_EQ(backlog_.size(), 1u);
  EXPECT_EQ(reserve_.queue().Depth(), 0u);  // the reserve lane never runs big jobs
}

TEST_F(DispatcherFixture, NothingIsDispatchedBeforeAWorkerIsReadyAndAbandonedJobsAreSkipped) {
  const std::uint64_t kept = Submit(ipc::Algorithm::kFast, 10);
  const std::uint64_t abandoned = Submit(ipc::Algorithm::kFast, 11);
  Dispatch();
  EXPECT_EQ(backlog_.size(), 2u);
  jobs_.Erase(abandoned);
  Ready(main_, 1);
  Dispatch();
  EXPECT_EQ(jobs_.Find(kept)->state, PendingJob::State::kQueued);
  EXPECT_EQ(main_.queue().Depth(), 1u);
  EXPECT_TRUE(backlog_.empty());
}

TEST_F(DispatcherFixture, ABigResultThatDoesNotFitWaitsAndJobsWithInlineAnswersPassIt) {
  Ready(main_, 3);
  shm_free_ = 30 * kMB;  // room for one F(10^8) answer, not two
  const std::uint64_t first = Submit(ipc::Algorithm::kFast, kHugeN);
  const std::uint64_t second = Submit(ipc::Algorithm::kFast, kHugeN);
  const std::uint64_t small = Submit(ipc::Algorithm::kFast, 1000);
  Dispatch();
  EXPECT_EQ(StateOf(first), PendingJob::State::kQueued);
  EXPECT_EQ(StateOf(second), PendingJob::State::kWaitingForShm);
  EXPECT_EQ(StateOf(small), PendingJob::State::kQueued);
  EXPECT_TRUE(backlog_.empty());
  EXPECT_EQ(budget().waiting(), 1u);
  EXPECT_EQ(budget().in_flight_bytes(), jobs_.Find(first)->buffer_bytes);
}

TEST_F(DispatcherFixture, JobsNeedingABufferQueueBehindTheFirstWaitingOneEvenIfTheyWouldFit) {
  Ready(main_, 4);
  shm_free_ = 30 * kMB;
  Submit(ipc::Algorithm::kFast, kHugeN);
  const std::uint64_t waiting = Submit(ipc::Algorithm::kFast, kHugeN);
  Dispatch();
  const std::uint64_t medium = Submit(ipc::Algorithm::kFast, 1'000'000);  // 209 kB answer
  const std::uint64_t small = Submit(ipc::Algorithm::kFast, 1000);
  Dispatch();
  EXPECT_EQ(StateOf(small), PendingJob::State::kQueued);
  EXPECT_EQ(StateOf(waiting), PendingJob::State::kWaitingForShm);
  EXPECT_EQ(StateOf(medium), PendingJob::State::kWaitingForShm);
  EXPECT_EQ(budget().FirstWaiting(), waiting);
}

TEST_F(DispatcherFixture, AWaitingJobGoesOnceTheResultAheadOfItIsReleased) {
  Ready(main_, 3);
  shm_free_ = 30 * kMB;
  const std::uint64_t first = Submit(ipc::Algorithm::kFast, kHugeN);
  const std::uint64_t second = Submit(ipc::Algorithm::kFast, kHugeN);
  Dispatch();
  ASSERT_EQ(StateOf(second), PendingJob::State::kWaitingForShm);
  jobs_.Find(first)->lease.Arrived();  // its buffer is mapped, held for its reader
  shm_free_ = 9 * kMB;
  Dispatch();
  EXPECT_EQ(StateOf(second), PendingJob::State::kWaitingForShm);
  jobs_.Find(first)->lease = ResultLease();  // written: released, and the space is free
  shm_free_ = 30 * kMB;
  Dispatch();
  EXPECT_EQ(StateOf(second), PendingJob::State::kQueued);
  EXPECT_EQ(budget().waiting(), 0u);
  EXPECT_EQ(budget().pipes(), 0u);
}

TEST_F(DispatcherFixture, AResultLargerThanTheWholeOfDevShmTakesThePipe) {
  Ready(main_, 2);
  shm_free_ = 16 * kMB;
  const std::uint64_t id = Submit(ipc::Algorithm::kFast, kHugeN);
  Dispatch();
  EXPECT_EQ(StateOf(id), PendingJob::State::kQueued);
  EXPECT_EQ(budget().pipes(), 1u);
  EXPECT_EQ(budget().piped_bytes(), jobs_.Find(id)->buffer_bytes);
  EXPECT_EQ(budget().in_flight_bytes(), 0u);
}

TEST_F(DispatcherFixture, AJobAbandonedWhileWaitingForSharedMemoryLeavesTheLine) {
  Ready(main_, 3);
  shm_free_ = 30 * kMB;
  const std::uint64_t first = Submit(ipc::Algorithm::kFast, kHugeN);
  const std::uint64_t abandoned = Submit(ipc::Algorithm::kFast, kHugeN);
  const std::uint64_t third = Submit(ipc::Algorithm::kFast, kHugeN);
  Dispatch();
  ASSERT_EQ(budget().waiting(), 2u);
  jobs_.Erase(abandoned);
  jobs_.Find(first)->lease = ResultLease();
  Dispatch();
  EXPECT_EQ(StateOf(third), PendingJob::State::kQueued);
  EXPECT_EQ(budget().waiting(), 0u);
}

}  // namespace
}  // namespace fibpool::supervisor
