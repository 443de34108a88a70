#include "supervisor/sched/backlog.h"

#include <gtest/gtest.h>

#include <vector>

#include "supervisor/sched/cost_model.h"

namespace fibpool::supervisor {
namespace {

TEST(Backlog, EarliestDeadlineFirstAndTiesInArrivalOrder) {
  Backlog b;
  b.Push(1, 100, JobSize::kBig);
  b.Push(2, 50, JobSize::kCheap);
  b.Push(3, 100, JobSize::kCheap);
  b.Push(4, 50, JobSize::kBig);
  EXPECT_EQ(b.Pop(), 2u);
  EXPECT_EQ(b.Pop(), 4u);
  EXPECT_EQ(b.Pop(), 1u);
  EXPECT_EQ(b.Pop(), 3u);
  EXPECT_EQ(b.Pop(), std::nullopt);
}

TEST(Backlog, CheapJobOvertakesExpensiveOneThatArrivedJustBefore) {
  Backlog b;
  const std::uint64_t t0 = 1'000'000;
  b.Push(1, t0 + EstimatedCostNanos(ipc::Algorithm::kRecursive, 40), JobSize::kBig);
  b.Push(2, t0 + 10 + EstimatedCostNanos(ipc::Algorithm::kFast, 10), JobSize::kCheap);
  EXPECT_EQ(b.Pop(), 2u);
}

TEST(Backlog, ExpensiveJobIsNotStarvedByLaterCheapOnes) {
  Backlog b;
  const std::uint64_t big_cost = EstimatedCostNanos(ipc::Algorithm::kRecursive, 30);
  b.Push(1, 0 + big_cost, JobSize::kBig);
  // Cheap jobs keep arriving after the big job's deadline has passed.
  for (std::uint64_t i = 0; i < 100; ++i) {
    b.Push(100 + i, big_cost + 1 + i + EstimatedCostNanos(ipc::Algorithm::kFast, 5),
           JobSize::kCheap);
  }
  EXPECT_EQ(b.Pop(), 1u);
}

TEST(Backlog, OnlyCheapJobsComeOutWhenBigOnesAreNotAllowed) {
  Backlog b;
  b.Push(1, 10, JobSize::kBig);
  b.Push(2, 20, JobSize::kCheap);
  EXPECT_TRUE(b.Has(JobSize::kBig));
  EXPECT_EQ(b.Pop(/*cheap_allowed=*/true, /*big_allowed=*/false), 2u);
  EXPECT_EQ(b.Pop(true, false), std::nullopt);
  EXPECT_EQ(b.Pop(false, true), 1u);
  EXPECT_TRUE(b.empty());
}

TEST(Backlog, WalkVisitsTheJobsInTheOrderPopReturnsThemAndStopsWhenAsked) {
  Backlog b;
  const JobSize sizes[] = {JobSize::kCheap, JobSize::kBig};
  for (std::uint64_t id = 1; id <= 4; ++id) b.Push(id, 100 - 10 * id, sizes[id % 2]);
  std::vector<std::uint64_t> walked;
  b.Walk([&](const Backlog::Waiting& job) {
    walked.push_back(job.job_id);
    return true;
  });
  EXPECT_EQ(walked, (std::vector<std::uint64_t>{4, 3, 2, 1}));
  walked.clear();
  b.Walk([&](const Backlog::Waiting& job) {
    walked.push_back(job.job_id);
    return job.size == JobSize::kCheap;
  });
  EXPECT_EQ(walked, (std::vector<std::uint64_t>{4, 3}));
  EXPECT_EQ(b.size(), 4u);  // nothing removed
}

TEST(CostModel, SmallJobsAreCheapAndLargeOnesBig) {
  EXPECT_LT(EstimatedCostNanos(ipc::Algorithm::kFast, 100'000), kBigJobNanos);
  EXPECT_LT(EstimatedCostNanos(ipc::Algorithm::kRecursive, 30), kBigJobNanos);
  EXPECT_GT(EstimatedCostNanos(ipc::Algorithm::kRecursive, 40), kBigJobNanos);
  EXPECT_GT(EstimatedCostNanos(ipc::Algorithm::kFast, 100'000'000), kBigJobNanos);
}

TEST(CostModel, GrowsWithNForBothAlgorithms) {
  EXPECT_LT(EstimatedCostNanos(ipc::Algorithm::kRecursive, 20),
            EstimatedCostNanos(ipc::Algorithm::kRecursive, 30));
  EXPECT_LT(EstimatedCostNanos(ipc::Algorithm::kFast, 1000),
            EstimatedCostNanos(ipc::Algorithm::kFast, 10'000'000));
  EXPECT_LT(EstimatedCostNanos(ipc::Algorithm::kFast, 93),
            EstimatedCostNanos(ipc::Algorithm::kRecursive, 40));
}

}  // namespace
}  // namespace fibpool::supervisor
