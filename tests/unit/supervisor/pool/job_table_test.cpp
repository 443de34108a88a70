#include "supervisor/pool/job_table.h"

#include <gtest/gtest.h>

namespace fibpool::supervisor {
namespace {

PendingJob Running(bool abandoned = false) {
  PendingJob job{MakeJobSpec(ipc::Algorithm::kFast, 10), "192.0.2.1", nullptr, 0, 0, 0, JobSize::kCheap};
  job.state = PendingJob::State::kQueued;
  if (!abandoned) job.callback = [](JobResult&&) {};
  return job;
}

TEST(JobTable, AJobWhoseWorkerDiedRunningItIsRetriedOnce) {
  PendingJob job = Running();
  EXPECT_EQ(OnWorkerLost(job, /*was_running=*/true, KillCause::kNone), LostJob::kRetry);
  EXPECT_EQ(job.attempts, 1);
  EXPECT_EQ(OnWorkerLost(job, true, KillCause::kNone), LostJob::kCrashedTwice);
}

TEST(JobTable, LogFieldsNameTheClientAlgorithmAndNOfAJob) {
  const PendingJob job = Running();
  EXPECT_EQ(JobLogFields(&job), "client=192.0.2.1 algorithm=fast n=10");
  EXPECT_EQ(JobLogFields(nullptr), "client=none algorithm=none n=none");
}

TEST(JobTable, BatchMatesGoBackWithoutAnAttempt) {
  PendingJob job = Running();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(OnWorkerLost(job, /*was_running=*/false, KillCause::kNone), LostJob::kRequeue);
  }
  EXPECT_EQ(job.attempts, 0);
  EXPECT_EQ(OnWorkerLost(job, true, KillCause::kNone), LostJob::kRetry);
}

TEST(JobTable, ATimedOutJobIsAnsweredNotRetried) {
  PendingJob job = Running();
  EXPECT_EQ(OnWorkerLost(job, true, KillCause::kTimeout), LostJob::kTimeout);
}

TEST(JobTable, AnAbandonedJobIsDropped) {
  PendingJob job = Running(/*abandoned=*/true);
  EXPECT_EQ(OnWorkerLost(job, true, KillCause::kCancel), LostJob::kDrop);
}

TEST(JobTable, LostJobsAreAnsweredWithTheErrorTheirWorkersDeathMeans) {
  const JobResult timeout = LostJobAnswer(LostJob::kTimeout, std::chrono::milliseconds(30'000));
  EXPECT_EQ(timeout.error, AnswerError::kTimeout);
  EXPECT_EQ(timeout.payload.text, "job ran past 30 s; its worker was killed and replaced");
  EXPECT_EQ(LostJobAnswer(LostJob::kTimeout, std::chrono::milliseconds(1500)).payload.text,
            "job ran past 1500 ms; its worker was killed and replaced");
  EXPECT_EQ(LostJobAnswer(LostJob::kCrashedTwice, {}).error, AnswerError::kWorkerCrashed);
  EXPECT_FALSE(LostJobAnswer(LostJob::kDrop, {}).error);
}

TEST(JobTable, ARunningJobIsStoppedPastItsTimeoutOrSoonAfterItIsAbandoned) {
  using namespace std::chrono_literals;
  const PendingJob waited_for = Running();
  const PendingJob abandoned = Running(/*abandoned=*/true);
  EXPECT_EQ(CheckRunning(waited_for, 10s, 30s), Overrun::kNone);
  EXPECT_EQ(CheckRunning(waited_for, 31s, 30s), Overrun::kTimeout);
  EXPECT_EQ(CheckRunning(abandoned, kCancelAfter / 2, 30s), Overrun::kNone);
  EXPECT_EQ(CheckRunning(abandoned, kCancelAfter + 1ms, 30s), Overrun::kCancel);
  EXPECT_EQ(CheckRunning(abandoned, 31s, 30s), Overrun::kTimeout);
}

TEST(JobTable, JobsGetDistinctIdsAndTheirCostSetsTheirDeadline) {
  JobTable table;
  const std::uint64_t cheap =
      table.Add(MakeJobSpec(ipc::Algorithm::kFast, 10), EstimatedCostNanos(ipc::Algorithm::kFast, 10),
                "192.0.2.1", nullptr, 1000);
  const std::uint64_t big =
      table.Add(MakeJobSpec(ipc::Algorithm::kRecursive, 45), kBigJobNanos + 1, "192.0.2.1", nullptr, 1000);
  EXPECT_NE(cheap, 0u);
  EXPECT_NE(cheap, big);
  EXPECT_EQ(table.size(), 2u);
  const PendingJob* c = table.Find(cheap);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->size, JobSize::kCheap);
  EXPECT_EQ(c->state, PendingJob::State::kBacklog);
  EXPECT_EQ(c->deadline, 1000 + EstimatedCostNanos(ipc::Algorithm::kFast, 10));
  EXPECT_TRUE(table.Find(big)->big());
  table.Erase(cheap);
  EXPECT_EQ(table.Find(cheap), nullptr);
  EXPECT_EQ(table.size(), 1u);
}

TEST(JobTable, PendingCostSumsTheEstimatesOfTheJobsNotYetErased) {
  JobTable table;
  EXPECT_EQ(table.pending_cost_ns(), 0u);
  const std::uint64_t cost_a = EstimatedCostNanos(ipc::Algorithm::kFast, 1'000'000);
  const std::uint64_t cost_b = EstimatedCostNanos(ipc::Algorithm::kRecursive, 45);
  const std::uint64_t a =
      table.Add(MakeJobSpec(ipc::Algorithm::kFast, 1'000'000), cost_a, "192.0.2.1", nullptr, 0);
  const std::uint64_t b =
      table.Add(MakeJobSpec(ipc::Algorithm::kRecursive, 45), cost_b, "192.0.2.2", nullptr, 0);
  EXPECT_EQ(table.pending_cost_ns(), cost_a + cost_b);
  table.Erase(a);
  EXPECT_EQ(table.pending_cost_ns(), cost_b);
  table.Erase(a);  // already gone: no change
  EXPECT_EQ(table.pending_cost_ns(), cost_b);
  table.Erase(b);
  EXPECT_EQ(table.pending_cost_ns(), 0u);
}

TEST(JobTable, PendingCostCountsAJobOfMoreThanAnHourAsAnHour) {
  JobTable table;
  const std::uint64_t cost = EstimatedCostNanos(ipc::Algorithm::kRecursive, 90);
  ASSERT_GT(cost, kPendingCostCapNs);
  const std::uint64_t huge =
      table.Add(MakeJobSpec(ipc::Algorithm::kRecursive, 90), cost, "192.0.2.1", nullptr, 0);
  EXPECT_EQ(table.pending_cost_ns(), kPendingCostCapNs);
  table.Erase(huge);
  EXPECT_EQ(table.pending_cost_ns(), 0u);
}

}  // namespace
}  // namespace fibpool::supervisor
