#include "supervisor/dispatcher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace fibpool::supervisor {
namespace {

constexpr std::uint32_t kCells = 8;

// Two lanes in real shared memory, `main_ready` and `reserve_ready` workers
// counted as ready (no processes: nothing takes from the queues).
class DispatcherFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string base = "fibpool-test." + std::to_string(::getpid()) + ".dispatch." +
                             ::testing::UnitTest::GetInstance()->current_test_info()->name();
    main_ = Lane::Create(base + ".main", 64, kCells).value();
    reserve_ = Lane::Create(base + ".reserve", 64, kCells).value();
  }
  void Ready(Lane& lane, int workers) {
    for (int i = 0; i < workers; ++i) {
      lane.OnSpawned();
      lane.OnReady();
    }
  }
  std::uint64_t Submit(ipc::Algorithm algorithm, std::uint64_t n) {
    const std::uint64_t id = jobs_.Add(
        algorithm, n, EstimatedCostNanos(algorithm, n), "192.0.2.1", [](JobResult&&) {}, 0);
    const PendingJob& job = *jobs_.Find(id);
    backlog_.Push(job.flow, id, job.deadline, job.size);
    return id;
  }
  void Dispatch() { DispatchWaiting(backlog_, jobs_, main_, reserve_); }

  Lane main_, reserve_;
  JobTable jobs_;
  FairQueue backlog_;
};

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

}  // namespace
}  // namespace fibpool::supervisor
