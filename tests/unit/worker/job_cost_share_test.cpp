#include "worker/job_cost_share.h"

#include <gtest/gtest.h>

#include <array>

#include "ipc/job_queue.h"

namespace fibpool::worker {
namespace {

ipc::Job JobCosting(std::uint64_t cost_ns) {
  return ipc::Job{1, ipc::JobKind::kCompute, ipc::Algorithm::kFast, 10, cost_ns};
}

TEST(ShareCost, ARunOfJobsSharesItsCpuTimeByEstimateAndEveryJobGetsThePeak) {
  const std::array<ipc::Job, 3> jobs = {JobCosting(1'000), JobCosting(3'000), JobCosting(6'000)};
  std::array<JobOutcome, 3> outcomes;
  ShareCost(jobs, 10'001, 5'000'000, outcomes);
  EXPECT_EQ(outcomes[0].message.cpu_ns, 1'000u);
  EXPECT_EQ(outcomes[1].message.cpu_ns, 3'000u);
  EXPECT_EQ(outcomes[2].message.cpu_ns, 6'001u);  // the remainder: nothing lost to rounding
  for (const JobOutcome& o : outcomes) EXPECT_EQ(o.message.peak_rss_bytes, 5'000'000u);
}

TEST(ShareCost, AJobMeasuredAloneGetsAllOfIt) {
  const std::array<ipc::Job, 1> jobs = {JobCosting(ipc::kBatchCostNs)};
  std::array<JobOutcome, 1> outcomes;
  ShareCost(jobs, 123'456'789, 1, outcomes);
  EXPECT_EQ(outcomes[0].message.cpu_ns, 123'456'789u);
  EXPECT_TRUE(MeasuredAlone(jobs[0]));
  EXPECT_FALSE(MeasuredAlone(JobCosting(ipc::kBatchCostNs - 1)));
}

TEST(ShareCost, JobsWithoutEstimatesShareEvenly) {
  const std::array<ipc::Job, 4> jobs = {JobCosting(0), JobCosting(0), JobCosting(0), JobCosting(0)};
  std::array<JobOutcome, 4> outcomes;
  ShareCost(jobs, 4'002, 0, outcomes);
  EXPECT_EQ(outcomes[0].message.cpu_ns, 1'000u);
  EXPECT_EQ(outcomes[1].message.cpu_ns, 1'000u);
  EXPECT_EQ(outcomes[2].message.cpu_ns, 1'000u);
  EXPECT_EQ(outcomes[3].message.cpu_ns, 1'002u);
}

}  // namespace
}  // namespace fibpool::worker
