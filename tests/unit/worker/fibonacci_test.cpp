#include "worker/fibonacci.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "ipc/segment_names.h"
#include "tests/support/fib_by_addition.h"
#include "worker/job_runner.h"

#include <unistd.h>

namespace fibpool::worker {
namespace {

TEST(Fibonacci, FastMatchesDecimalAdditionUpTo2000) {
  const std::vector<std::string> table = testing::FibTableByAddition(2001);
  for (std::uint64_t n = 0; n <= 2000; ++n) ASSERT_EQ(BigFibonacci(n).ToDecimal(), table[n]) << n;
}

TEST(Fibonacci, RecursiveMatchesFastForSmallN) {
  for (std::uint64_t n = 0; n <= 30; ++n) {
    EXPECT_EQ(std::to_string(FibRecursive(n)), BigFibonacci(n).ToDecimal()) << n;
  }
}

TEST(JobRunner, AMemoryRefusalShowsTheNeedAndTheLimitApartWhenTheyRoundAlike) {
  constexpr std::uint64_t kMiB = 1024 * 1024;
  std::uint64_t n = 1000;
  while (EstimatedFastMemoryBytes(n) <= 8 * kMiB + kMiB / 4) n += 1000;
  ASSERT_LT(EstimatedFastMemoryBytes(n), 8 * kMiB + kMiB / 2);  // "8 MiB" both, in whole MiB
  RunnerLimits limits;
  limits.max_memory_bytes = 8 * kMiB;
  ipc::Job job{};
  job.id = 1;
  job.algorithm = ipc::Algorithm::kFast;
  job.n = n;
  const JobOutcome out = RunJob(job, limits, ::getpid());
  EXPECT_EQ(out.message.status, ipc::ResultStatus::kOutOfRange);
  EXPECT_TRUE(std::regex_search(
      out.message.text, std::regex(" needs about 8\\.[2-4] MiB, above max_worker_memory \\(8\\.0 MiB\\)$")))
      << out.message.text;
}

TEST(Fibonacci, KnownValues) {
  EXPECT_EQ(BigFibonacci(30).ToDecimal(), "832040");
  EXPECT_EQ(BigFibonacci(93).ToDecimal(), "12200160415121876738");
  EXPECT_EQ(BigFibonacci(100).ToDecimal(), "354224848179261915075");
}

TEST(Fibonacci, WriteDecimalReportsTheExactDigitCount) {
  for (std::uint64_t n : {0, 1, 7, 45, 46, 47, 1000, 4783, 4784}) {
    BigFibonacci f(n);
    std::string buffer(f.DecimalBufferSize(), '#');
    const std::size_t digits = f.WriteDecimal(buffer.data());
    EXPECT_EQ(buffer.substr(0, digits), f.ToDecimal());
    EXPECT_EQ(buffer[digits], '\0');
  }
}

TEST(JobRunner, SmallResultsTravelInline) {
  const JobOutcome out = RunJob(ipc::Job{7, ipc::JobKind::kCompute, ipc::Algorithm::kFast, 100},
                                RunnerLimits{}, ::getpid());
  EXPECT_EQ(out.message.job_id, 7u);
  EXPECT_EQ(out.message.status, ipc::ResultStatus::kOk);
  EXPECT_EQ(out.message.text, "354224848179261915075");
  EXPECT_TRUE(out.message.buffer_name.empty());
}

TEST(JobRunner, LargeResultsGoToAResultBuffer) {
  // Named for this process (alive, so no fibpool start removes it meanwhile).
  const std::string name = ipc::ResultSegmentName(::getpid(), 8, ::getpid());
  RunnerLimits limits;
  limits.inline_limit = 100;
  JobOutcome out =
      RunJob(ipc::Job{8, ipc::JobKind::kCompute, ipc::Algorithm::kFast, 1000}, limits, ::getpid());
  ASSERT_EQ(out.message.status, ipc::ResultStatus::kOk);
  EXPECT_EQ(out.message.buffer_name, name);
  EXPECT_EQ(out.message.buffer_length, 209u);  // F(1000) has 209 digits
  EXPECT_EQ(std::string(static_cast<const char*>(out.buffer.data()), 209),
            BigFibonacci(1000).ToDecimal());
  // Not disowned: the buffer unlinks itself.
}

TEST(JobRunner, ALargeResultOfAJobNotAllowedABufferTravelsInline) {
  RunnerLimits limits;
  limits.inline_limit = 100;
  ipc::Job job{9, ipc::JobKind::kCompute, ipc::Algorithm::kFast, 1000};
  job.may_use_buffer = false;
  const JobOutcome out = RunJob(job, limits, ::getpid());
  ASSERT_EQ(out.message.status, ipc::ResultStatus::kOk);
  EXPECT_TRUE(out.message.buffer_name.empty());
  EXPECT_TRUE(out.buffer.empty());
  EXPECT_EQ(out.message.text, BigFibonacci(1000).ToDecimal());
}

TEST(JobRunner, OutOfRangeIsAnAnswerNotACrash) {
  RunnerLimits limits;
  limits.max_fast_n = 10;
  EXPECT_EQ(
      RunJob(ipc::Job{1, ipc::JobKind::kCompute, ipc::Algorithm::kFast, 11}, limits, ::getpid())
          .message.status,
      ipc::ResultStatus::kOutOfRange);
  EXPECT_EQ(RunJob(ipc::Job{1, ipc::JobKind::kCompute, ipc::Algorithm::kRecursive, 94}, limits,
                   ::getpid())
                .message.status,
            ipc::ResultStatus::kOutOfRange);
}

}  // namespace
}  // namespace fibpool::worker
