// JobAdmission over a pool state of the test's making: two lanes in real
// shared memory (no processes), a backlog and a job table, and the time
// given by the test.
#include "supervisor/pool/job_admission.h"

#include <gtest/gtest.h>

#include <string>

#include "supervisor/sched/cost_model.h"
#include "tests/support/segment_name.h"

namespace fibpool::supervisor {
namespace {

constexpr std::uint64_t kNow = 1'000'000'000'000;

class JobAdmissionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lanes_[0] = Lane::Create(testing::TestSegmentName("admission.main"), 64, 8).value();
    lanes_[1] = Lane::Create(testing::TestSegmentName("admission.reserve"), 64, 8).value();
    lanes_[0].set_target(2);
    lanes_[1].set_target(1);
  }
  AdmissionDecision Decide(const JobSpec& spec, const std::string& flow, bool draining = false) {
    return admission_.Decide(spec, flow, draining, PoolWork{backlog_, jobs_, lanes_, workers_}, 0,
                             kNow);
  }
  // A job of `flow` waiting in the backlog.
  void Waiting(const JobSpec& spec, const std::string& flow) {
    const std::uint64_t id = jobs_.Add(spec, spec.cost_ns, flow, [](JobResult&&) {}, kNow);
    const PendingJob& job = *jobs_.Find(id);
    backlog_.Push(job.flow, id, job.deadline, job.size);
  }

  Config settings_;
  JobAdmission admission_{settings_};
  std::array<Lane, 2> lanes_;
  WorkerSlots workers_{2};
  JobTable jobs_;
  FairQueue backlog_;
};

TEST_F(JobAdmissionTest, AJobIsTakenWithItsCostAsEstimatedForThisMachine) {
  const AdmissionDecision d = Decide(MakeJobSpec(ipc::Algorithm::kFast, 1000), "192.0.2.1");
  EXPECT_FALSE(d.refusal);
  EXPECT_FALSE(d.busy);
  EXPECT_FALSE(d.push_out);
  EXPECT_EQ(d.cost_ns, EstimatedCostNanos(ipc::Algorithm::kFast, 1000));  // nothing learnt yet
}

TEST_F(JobAdmissionTest, ADrainRefusesEveryJobFirst) {
  const AdmissionDecision d =
      Decide(MakeJobSpec(ipc::Algorithm::kRecursive, 90), "192.0.2.1", /*draining=*/true);
  ASSERT_TRUE(d.refusal);
  EXPECT_EQ(d.refusal->code, AnswerError::kShuttingDown);
}

TEST_F(JobAdmissionTest, AJobEstimatedPastJobTimeoutIsOutOfRange) {
  const AdmissionDecision d = Decide(MakeJobSpec(ipc::Algorithm::kRecursive, 90), "192.0.2.1");
  ASSERT_TRUE(d.refusal);
  EXPECT_EQ(d.refusal->code, AnswerError::kOutOfRange);
  EXPECT_FALSE(d.busy) << "out_of_range is not busy";
}

TEST_F(JobAdmissionTest, AQuarantinedInputIsRefusedForWhatIsLeftOfItsPeriod) {
  settings_.quarantine_period = std::chrono::seconds(5);
  admission_.SetQuarantinePeriod(settings_.quarantine_period);
  const JobSpec killer = MakeJobSpec(ipc::Algorithm::kFast, 4242);
  admission_.Quarantine(killer, kNow - 1'500'000'000);  // 1.5 s ago
  const AdmissionDecision d = Decide(killer, "192.0.2.1");
  ASSERT_TRUE(d.refusal);
  EXPECT_EQ(d.refusal->code, AnswerError::kWorkerCrashed);
  EXPECT_EQ(d.refusal->detail,
            "this request killed two workers; refused for 4 s more without starting a worker");
  EXPECT_FALSE(Decide(MakeJobSpec(ipc::Algorithm::kFast, 4243), "192.0.2.1").refusal);
  EXPECT_EQ(admission_.quarantined(kNow), 1u);
}

TEST_F(JobAdmissionTest, AFullBacklogRefusesTheClientHoldingItAndPushesOutForAnother) {
  settings_.max_backlog = 3;
  for (int i = 0; i < 3; ++i) Waiting(MakeJobSpec(ipc::Algorithm::kFast, 100 + i), "192.0.2.1");
  const AdmissionDecision own = Decide(MakeJobSpec(ipc::Algorithm::kFast, 10), "192.0.2.1");
  ASSERT_TRUE(own.refusal);
  EXPECT_EQ(own.refusal->code, AnswerError::kBusy);
  EXPECT_EQ(own.busy, BusyReason::kFlowShare);
  const AdmissionDecision other = Decide(MakeJobSpec(ipc::Algorithm::kFast, 10), "192.0.2.2");
  EXPECT_FALSE(other.refusal);
  EXPECT_EQ(other.push_out, "192.0.2.1");
}

TEST_F(JobAdmissionTest, WithMaxWaitOnAJobBehindTooMuchWorkIsToldWhenToRetry) {
  // Two main workers and 40 s of big jobs of its client waiting before it: a
  // new big job of that client starts in about 20 s.
  for (int i = 0; i < 4; ++i) {
    JobSpec spec = MakeJobSpec(ipc::Algorithm::kFast, 100'000'000);
    spec.cost_ns = 10'000'000'000;
    Waiting(spec, "192.0.2.1");
  }
  // Bigger still: the backlog runs a client's cheaper jobs first.
  JobSpec big = MakeJobSpec(ipc::Algorithm::kFast, 100'000'000);
  big.cost_ns = 20'000'000'000;
  ASSERT_FALSE(Decide(big, "192.0.2.1").refusal) << "max_wait is off by default";
  settings_.max_wait = std::chrono::seconds(5);
  const AdmissionDecision d = Decide(big, "192.0.2.1");
  ASSERT_TRUE(d.refusal);
  EXPECT_EQ(d.refusal->code, AnswerError::kBusy);
  EXPECT_EQ(d.busy, BusyReason::kMaxWait);
  EXPECT_TRUE(d.refusal->detail.starts_with("retry_after=")) << d.refusal->detail;
  // Another client's job goes first in its fair share: no such wait.
  EXPECT_FALSE(Decide(big, "192.0.2.2").refusal);
}

TEST_F(JobAdmissionTest, WhatJobsCostOnThisMachineScalesTheNextEstimates) {
  const JobSpec spec = MakeJobSpec(ipc::Algorithm::kRecursive, 35);
  ASSERT_GE(spec.cost_ns, CostCorrection::kMinLearnNanos);
  for (int i = 0; i < 50; ++i) admission_.Learn(spec, spec.cost_ns * 2);  // twice as slow
  EXPECT_GT(admission_.cost_factor(ipc::Algorithm::kRecursive), 1.5);
  EXPECT_GT(Decide(spec, "192.0.2.1").cost_ns, spec.cost_ns * 3 / 2);
  EXPECT_DOUBLE_EQ(admission_.cost_factor(ipc::Algorithm::kFast), 1.0);
}

}  // namespace
}  // namespace fibpool::supervisor
