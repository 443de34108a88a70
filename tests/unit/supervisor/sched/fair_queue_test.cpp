#include "supervisor/sched/fair_queue.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "supervisor/net/flow_key.h"

namespace fibpool::supervisor {
namespace {

const std::string kA = "192.0.2.1";
const std::string kB = "192.0.2.2";

// Takes the next job (any size) charging `cost`; its id, or 0 when none waits.
std::uint64_t TakeNext(FairQueue& q, std::uint64_t cost) {
  const auto head = q.Peek();
  if (!head) return 0;
  q.Take(*head, cost);
  return head->job_id;
}

// Takes every waiting job, each charged `cost`: their ids in order.
std::vector<std::uint64_t> TakeAll(FairQueue& q, std::uint64_t cost) {
  std::vector<std::uint64_t> ids;
  while (const std::uint64_t id = TakeNext(q, cost)) ids.push_back(id);
  return ids;
}

TEST(FairQueue, ANewFlowsJobRunsBeforeTheRestOfAHeavyFlowsBacklog) {
  FairQueue q;
  for (std::uint64_t id = 1; id <= 20; ++id) q.Push(kA, id, id, JobSize::kBig);
  EXPECT_EQ(TakeNext(q, 250), 1u);  // two workers busy with A's jobs
  EXPECT_EQ(TakeNext(q, 250), 2u);
  q.Push(kB, 100, 1000, JobSize::kBig);
  EXPECT_EQ(TakeNext(q, 250), 100u);
  EXPECT_EQ(TakeNext(q, 250), 3u);
}

TEST(FairQueue, BackloggedFlowsGetEqualEstimatedCostNotEqualJobCounts) {
  FairQueue q;
  for (std::uint64_t i = 0; i < 100; ++i) {
    q.Push(kA, 1 + i, i, JobSize::kBig);       // A: jobs of cost 10
    q.Push(kB, 1001 + i, i, JobSize::kCheap);  // B: jobs of cost 1
  }
  std::map<std::string, std::uint64_t> served;
  for (int i = 0; i < 55; ++i) {
    const auto head = q.Peek();
    ASSERT_TRUE(head);
    const bool from_a = head->job_id <= 100;
    q.Take(*head, from_a ? 10 : 1);
    served[from_a ? kA : kB] += from_a ? 10 : 1;
  }
  // 55 jobs: 5 of A's and 50 of B's, each flow 50 units of cost.
  EXPECT_EQ(served[kA], 50u);
  EXPECT_EQ(served[kB], 50u);
}

TEST(FairQueue, WithinAFlowTheBacklogOrderHolds) {
  FairQueue q;
  q.Push(kA, 1, 100, JobSize::kBig);
  q.Push(kA, 2, 50, JobSize::kCheap);
  q.Push(kA, 3, 70, JobSize::kBig);
  EXPECT_EQ(TakeAll(q, 1), (std::vector<std::uint64_t>{2, 3, 1}));
}

TEST(FairQueue, OnlyAllowedSizesComeOutWhateverTheFlowsTags) {
  FairQueue q;
  q.Push(kA, 1, 10, JobSize::kBig);
  q.Push(kB, 2, 20, JobSize::kCheap);
  q.Push(kB, 3, 5, JobSize::kBig);
  const auto cheap = q.Peek(/*cheap_allowed=*/true, /*big_allowed=*/false);
  ASSERT_TRUE(cheap);
  EXPECT_EQ(cheap->job_id, 2u);
  EXPECT_EQ(cheap->size, JobSize::kCheap);
  EXPECT_EQ(q.Peek(false, true)->job_id, 1u);  // A is the older flow at an equal tag
  EXPECT_EQ(q.Peek(true, true)->job_id, 1u);
  q.Take(*q.Peek(true, false), 1);
  EXPECT_EQ(q.Peek(false, false), std::nullopt);
  EXPECT_EQ(q.size(), 2u);
}

TEST(FairQueue, AFlowWhoseJobStillRunsGetsNoCreditWhenItQueuesAgain) {
  FairQueue q;
  q.Push(kA, 1, 0, JobSize::kBig);
  EXPECT_EQ(TakeNext(q, 100), 1u);  // A's job runs
  q.Push(kB, 2, 0, JobSize::kBig);
  q.Push(kB, 3, 1, JobSize::kBig);
  q.Push(kA, 4, 0, JobSize::kBig);  // A's next job, while its first still runs
  EXPECT_EQ(TakeAll(q, 10), (std::vector<std::uint64_t>{2, 3, 4}));
}

TEST(FairQueue, FlowsWithNothingWaitingOrRunningAreForgotten) {
  FairQueue q;
  q.Push(kA, 1, 0, JobSize::kCheap);
  q.Push(kB, 2, 0, JobSize::kCheap);
  EXPECT_EQ(q.flows(), 2u);
  const auto a = q.Peek();
  ASSERT_TRUE(a);
  q.Take(*a, 5);
  EXPECT_EQ(q.flows(), 2u);  // A's job runs
  q.Finished(kA);
  EXPECT_EQ(q.flows(), 1u);
  q.Discard(*q.Peek());  // B's job was abandoned
  EXPECT_EQ(q.flows(), 0u);
  EXPECT_TRUE(q.empty());
  q.Finished(kA);  // a stray Finished changes nothing
  EXPECT_EQ(q.flows(), 0u);
}

TEST(FairQueue, ADiscardedJobCostsItsFlowNothing) {
  FairQueue q;
  q.Push(kA, 1, 0, JobSize::kBig);
  q.Push(kA, 2, 1, JobSize::kBig);
  q.Push(kB, 3, 0, JobSize::kBig);
  q.Discard(*q.Peek());            // A's first job: abandoned
  EXPECT_EQ(TakeNext(q, 10), 2u);  // A still first at an equal tag
  EXPECT_EQ(TakeNext(q, 10), 3u);
}

TEST(FairQueue, TopFlowsAreTheDeepestMostFirstAndLimited) {
  FairQueue q;
  for (std::uint64_t i = 0; i < 3; ++i) q.Push(kA, 10 + i, i, JobSize::kCheap);
  q.Push(kB, 20, 0, JobSize::kCheap);
  q.Push("192.0.2.3", 30, 0, JobSize::kBig);
  q.Push("192.0.2.3", 31, 0, JobSize::kBig);
  EXPECT_EQ(q.TopFlows(2), (std::vector<FlowDepth>{{kA, 3}, {"192.0.2.3", 2}}));
  EXPECT_EQ(q.TopFlows(8).size(), 3u);
}

// Costs of the jobs in a CostAhead() test, by id; unknown ids cost 0.
struct Costs {
  std::map<std::uint64_t, std::uint64_t> of;
  std::function<std::uint64_t(std::uint64_t)> lookup() const {
    return [this](std::uint64_t id) {
      const auto it = of.find(id);
      return it == of.end() ? std::uint64_t{0} : it->second;
    };
  }
};

TEST(FairQueue, ANewFlowsJobHasNothingAheadOfItButWorkAlreadyStarted) {
  FairQueue q;
  Costs costs;
  for (std::uint64_t id = 1; id <= 10; ++id) {
    q.Push(kA, id, id * 100, JobSize::kBig);
    costs.of[id] = 100;
  }
  ASSERT_EQ(TakeNext(q, 100), 1u);
  EXPECT_EQ(q.CostAhead(kB, 1'000'000, costs.lookup()), (WorkAhead{0, 0}));
  // A's next job waits for all of A's own.
  EXPECT_EQ(q.CostAhead(kA, 1'000'000, costs.lookup()), (WorkAhead{0, 900}));
}

TEST(FairQueue, WithinItsFlowAJobWaitsOnlyForEarlierDeadlines) {
  FairQueue q;
  Costs costs{{{1, 500}, {2, 5}, {3, 500}}};
  q.Push(kA, 1, 1000, JobSize::kBig);
  q.Push(kA, 2, 50, JobSize::kCheap);
  q.Push(kA, 3, 2000, JobSize::kBig);
  EXPECT_EQ(q.CostAhead(kA, 40, costs.lookup()), (WorkAhead{0, 0}));
  EXPECT_EQ(q.CostAhead(kA, 50, costs.lookup()), (WorkAhead{5, 0}));  // a tie: after the older
  EXPECT_EQ(q.CostAhead(kA, 1500, costs.lookup()), (WorkAhead{5, 500}));
}

TEST(FairQueue, CostAheadCountsTheJobsTheQueueThenServesFirst) {
  FairQueue q;
  Costs costs;
  for (std::uint64_t i = 0; i < 4; ++i) {
    q.Push(kA, 1 + i, i, JobSize::kBig);  // A: jobs of cost 10
    costs.of[1 + i] = 10;
    q.Push(kB, 11 + i, i, JobSize::kCheap);  // B: jobs of cost 4
    costs.of[11 + i] = 4;
  }
  // B's next job starts at B's virtual time 16: after A's jobs starting at 0
  // and 10 (A is the older flow: its ties go first) and B's four.
  const WorkAhead ahead = q.CostAhead(kB, 100, costs.lookup());
  EXPECT_EQ(ahead, (WorkAhead{16, 20}));
  // Served in that order: exactly those come out before it would.
  q.Push(kB, 99, 100, JobSize::kCheap);
  WorkAhead served;
  for (;;) {
    const auto head = q.Peek();
    ASSERT_TRUE(head);
    if (head->job_id == 99) break;
    const std::uint64_t cost = costs.of[head->job_id];
    (head->size == JobSize::kCheap ? served.cheap_ns : served.big_ns) += cost;
    q.Take(*head, cost);
  }
  EXPECT_EQ(served, ahead);
}

TEST(FairQueue, AnAbandonedWaitingJobCostsNothingAhead) {
  FairQueue q;
  Costs costs{{{2, 30}}};  // job 1 is no longer known
  q.Push(kA, 1, 0, JobSize::kBig);
  q.Push(kA, 2, 1, JobSize::kBig);
  EXPECT_EQ(q.CostAhead(kA, 10, costs.lookup()), (WorkAhead{0, 30}));
}

TEST(FlowKey, AnIpv4MappedAddressIsTheSameFlowAsThePlainOne) {
  namespace ip = boost::asio::ip;
  EXPECT_EQ(FlowKeyOf(ip::make_address("::ffff:192.0.2.7")), "192.0.2.7");
  EXPECT_EQ(FlowKeyOf(ip::make_address("192.0.2.7")), "192.0.2.7");
  EXPECT_EQ(FlowKeyOf(ip::make_address("2001:db8::1")), "2001:db8::1");
}

}  // namespace
}  // namespace fibpool::supervisor
