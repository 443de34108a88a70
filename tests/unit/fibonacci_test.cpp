#include "worker/fibonacci.h"

#include <gtest/gtest.h>

#include <string>

#include "ipc/segment_names.h"
#include "worker/job_runner.h"

#include <unistd.h>

namespace fibpool::worker {
namespace {

// Decimal addition: an independent reference for F(n).
std::string Add(const std::string& a, const std::string& b) {
  std::string out;
  int carry = 0;
  for (std::size_t i = 0; i < std::max(a.size(), b.size()) || carry; ++i) {
    int d = carry;
    if (i < a.size()) d += a[a.size() - 1 - i] - '0';
    if (i < b.size()) d += b[b.size() - 1 - i] - '0';
    out.push_back(static_cast<char>('0' + d % 10));
    carry = d / 10;
  }
  return std::string(out.rbegin(), out.rend());
}

TEST(Fibonacci, FastMatchesDecimalAdditionUpTo2000) {
  std::string a = "0", b = "1";
  for (std::uint64_t n = 0; n <= 2000; ++n) {
    ASSERT_EQ(BigFibonacci(n).ToDecimal(), a) << n;
    std::string next = Add(a, b);
    a = std::move(b);
    b = std::move(next);
  }
}

TEST(Fibonacci, RecursiveMatchesFastForSmallN) {
  for (std::uint64_t n = 0; n <= 30; ++n) {
    EXPECT_EQ(std::to_string(FibRecursive(n)), BigFibonacci(n).ToDecimal()) << n;
  }
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
  const std::string name = ipc::ResultSegmentName(::getpid(), 8);
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
