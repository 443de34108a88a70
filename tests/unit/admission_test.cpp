#include "supervisor/admission.h"

#include <gtest/gtest.h>

#include "supervisor/cost_model.h"
#include "supervisor/duration_text.h"

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
