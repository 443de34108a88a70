#include "supervisor/sched/admission.h"

#include <gtest/gtest.h>

#include <limits>

#include "supervisor/protocol/duration_text.h"
#include "supervisor/sched/cost_model.h"

namespace fibpool::supervisor {
namespace {

using namespace std::chrono_literals;

// The reference machine's estimate, as the pool passes it before it learned.
std::chrono::nanoseconds Reference(ipc::Algorithm algorithm, std::uint64_t n) {
  return std::chrono::nanoseconds(EstimatedCostNanos(algorithm, n));
}

TEST(Admission, NinetyThreeRecursiveIsRefusedNamingTheEstimateAndTheLimit) {
  const auto refusal =
      CheckCost(ipc::Algorithm::kRecursive, Reference(ipc::Algorithm::kRecursive, 93), 30s);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->code, AnswerError::kOutOfRange);
  EXPECT_EQ(refusal->detail,
            "estimated " + EstimateText(EstimatedCostNanos(ipc::Algorithm::kRecursive, 93)) +
                " of work, over the job_timeout of 30 s; the fast algorithm answers it at once");
  EXPECT_NE(refusal->detail.find("years"), std::string::npos);
}

TEST(Admission, AFastJobWhoseEstimateExceedsTheTimeoutIsRefused) {
  const std::uint64_t n = 100'000'000;
  ASSERT_GT(EstimatedCostNanos(ipc::Algorithm::kFast, n), 1'000'000'000u);
  const auto refusal = CheckCost(ipc::Algorithm::kFast, Reference(ipc::Algorithm::kFast, n), 1s);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->code, AnswerError::kOutOfRange);
  EXPECT_NE(refusal->detail.find("over the job_timeout of 1 s"), std::string::npos);
  EXPECT_EQ(refusal->detail.find("fast algorithm"), std::string::npos);
  EXPECT_EQ(CheckCost(ipc::Algorithm::kFast, Reference(ipc::Algorithm::kFast, n), 30s),
            std::nullopt);
}

TEST(Admission, AJobEstimatedAtExactlyTheTimeoutIsTaken) {
  const std::uint64_t cost = EstimatedCostNanos(ipc::Algorithm::kRecursive, 40);
  const auto exact = std::chrono::milliseconds((cost + 999'999) / 1'000'000);
  EXPECT_EQ(CheckCost(ipc::Algorithm::kRecursive, Reference(ipc::Algorithm::kRecursive, 40), exact),
            std::nullopt);
  EXPECT_TRUE(CheckCost(ipc::Algorithm::kRecursive, Reference(ipc::Algorithm::kRecursive, 40),
                        exact - 1ms));
}

constexpr std::uint64_t kSecondNs = 1'000'000'000;

TEST(Admission, ABigJobWaitsForTheMainWorkersOnlyWhileACheapOneUsesTheReserve) {
  WorkBefore work;
  work.main_lane_ns = 2 * kSecondNs;  // two big jobs hold the two main workers
  work.waiting.big_ns = 4 * kSecondNs;
  work.main_workers = 2;
  work.reserve_workers = 1;
  work.size = JobSize::kBig;
  EXPECT_EQ(EstimatedWait(work), std::chrono::seconds(3));  // (2 + 4) s over 2 workers
  work.size = JobSize::kCheap;
  EXPECT_EQ(EstimatedWait(work), std::chrono::seconds(0));  // the reserve worker is free
  work.waiting.cheap_ns = kSecondNs / 2;
  EXPECT_EQ(EstimatedWait(work), std::chrono::milliseconds(500));
}

TEST(Admission, CheapWorkAheadIsSharedByEveryWorkerOnceTheReserveCannotDoItAlone) {
  WorkBefore work;
  work.size = JobSize::kCheap;
  work.waiting.cheap_ns = 3 * kSecondNs;
  work.main_workers = 2;
  work.reserve_workers = 1;
  EXPECT_EQ(EstimatedWait(work), std::chrono::seconds(1));
  work.size = JobSize::kBig;  // the reserve worker takes its share of the cheap work
  EXPECT_EQ(EstimatedWait(work), std::chrono::seconds(1));
  work.reserve_workers = 0;
  EXPECT_EQ(EstimatedWait(work), std::chrono::milliseconds(1500));
  work.size = JobSize::kCheap;
  EXPECT_EQ(EstimatedWait(work), std::chrono::milliseconds(1500));
}

TEST(Admission, AWaitOverMaxWaitIsRefusedWithTheStartInWholeSecondsRoundedUp) {
  WorkBefore work;
  work.size = JobSize::kBig;
  work.main_lane_ns = 2 * kSecondNs + 1;
  const auto refusal = CheckWait(work, 2s);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->code, AnswerError::kBusy);
  EXPECT_EQ(refusal->detail, "retry_after=3");
  EXPECT_EQ(ErrorLine(refusal->code, refusal->detail), "ERR busy retry_after=3\n");
  work.main_lane_ns = 2 * kSecondNs;  // exactly max_wait: taken
  EXPECT_EQ(CheckWait(work, 2s), std::nullopt);
}

TEST(Admission, RetryAfterIsAtLeastOneSecond) {
  WorkBefore work;
  work.main_lane_ns = kSecondNs / 10;
  const auto refusal = CheckWait(work, 50ms);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->detail, "retry_after=1");
}

TEST(Admission, MaxWaitZeroTakesEveryWait) {
  WorkBefore work;
  work.main_lane_ns = 1'000'000 * kSecondNs;
  EXPECT_EQ(CheckWait(work, 0ms), std::nullopt);
}

TEST(Admission, WorkBeyondSixtyFourBitsDoesNotWrapIntoAShortWait) {
  WorkBefore work;
  work.size = JobSize::kBig;
  work.main_lane_ns = std::numeric_limits<std::uint64_t>::max();
  work.waiting.big_ns = std::numeric_limits<std::uint64_t>::max();
  const auto refusal = CheckWait(work, 1s);
  ASSERT_TRUE(refusal);
  EXPECT_GT(EstimatedWait(work), std::chrono::hours(24 * 365));
}

TEST(DurationText, EstimatesHaveThreeDigitsInTheLargestUnitAndLimitsAreExact) {
  EXPECT_EQ(EstimateText(850'000), "850 us");
  EXPECT_EQ(EstimateText(12'345'678), "12.3 ms");
  EXPECT_EQ(EstimateText(1'810'000'000), "1.81 s");
  EXPECT_EQ(EstimateText(1'000'000'000'000'000'000), "31.7 years");
  EXPECT_EQ(LimitText(30s), "30 s");
  EXPECT_EQ(LimitText(1500ms), "1500 ms");
}

}  // namespace
}  // namespace fibpool::supervisor
