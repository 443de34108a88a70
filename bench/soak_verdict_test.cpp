#include "bench/soak_verdict.h"

#include <gtest/gtest.h>

#include <string>

#include "bench/answer_digest.h"

namespace fibpool::bench {
namespace {

TEST(SoakVerdictTest, ExactAnswerIsRight) {
  EXPECT_EQ(JudgeAnswer("832040", "832040", Allowance::kJob), Verdict::kRight);
  EXPECT_EQ(JudgeAnswer("pong", "pong", Allowance::kExactOnly), Verdict::kRight);
}

TEST(SoakVerdictTest, AnotherValueIsWrongEvenTheNextRequestsAnswer) {
  // Out of order: the answer to another request of the same connection.
  EXPECT_EQ(JudgeAnswer("6765", "832040", Allowance::kJob), Verdict::kWrong);
  EXPECT_EQ(JudgeAnswer("83204", "832040", Allowance::kJob), Verdict::kWrong);
  EXPECT_EQ(JudgeAnswer("832040 ", "832040", Allowance::kJob), Verdict::kWrong);
  EXPECT_EQ(JudgeAnswer("", "0", Allowance::kJob), Verdict::kWrong);
}

TEST(SoakVerdictTest, WorkerCrashedAndBusyAreAllowedForJobsOnly) {
  const std::string crashed = "ERR worker_crashed the worker died twice";
  const std::string quarantined =
      "ERR worker_crashed this request killed two workers; refused for 42 s more without "
      "starting a worker";
  EXPECT_EQ(JudgeAnswer(crashed, "832040", Allowance::kJob), Verdict::kCrashed);
  EXPECT_EQ(JudgeAnswer(quarantined, "832040", Allowance::kJob), Verdict::kCrashed);
  EXPECT_EQ(JudgeAnswer("ERR worker_crashed", "832040", Allowance::kJob), Verdict::kCrashed);
  EXPECT_EQ(JudgeAnswer("ERR busy", "832040", Allowance::kJob), Verdict::kBusy);
  EXPECT_EQ(JudgeAnswer("ERR busy retry_after=3", "832040", Allowance::kJob), Verdict::kBusy);
  EXPECT_EQ(JudgeAnswer(crashed, "pong", Allowance::kExactOnly), Verdict::kWrong);
  EXPECT_EQ(JudgeAnswer("ERR busy", "ERR bad_request x", Allowance::kExactOnly), Verdict::kWrong);
}

TEST(SoakVerdictTest, OtherErrorsAndLookalikesAreWrong) {
  for (const char* got :
       {"ERR timeout job ran past 30 s", "ERR internal out of memory", "ERR shutting_down",
        "ERR worker_crashedX", "ERR busyness", "err busy", " ERR busy", "ERR  busy"}) {
    EXPECT_EQ(JudgeAnswer(got, "832040", Allowance::kJob), Verdict::kWrong) << got;
  }
}

TEST(SoakVerdictTest, BigAnswerIsRightOnlyWithTheSameDigest) {
  const std::string digits(100'000, '7');
  const AnswerDigest expected = DigestOf(digits);
  EXPECT_EQ(JudgeDigest(DigestOf(digits), expected, Allowance::kJob), Verdict::kRight);
  std::string one_off = digits;
  one_off[54'321] = '8';
  EXPECT_EQ(JudgeDigest(DigestOf(one_off), expected, Allowance::kJob), Verdict::kWrong);
  EXPECT_EQ(JudgeDigest(DigestOf(digits.substr(1)), expected, Allowance::kJob), Verdict::kWrong);
  EXPECT_EQ(JudgeDigest(DigestOf(digits + "7"), expected, Allowance::kJob), Verdict::kWrong);
}

TEST(SoakVerdictTest, BigAnswerReplacedByAnAllowedErrorIsCountedApart) {
  const AnswerDigest expected = DigestOf(std::string(100'000, '3'));
  EXPECT_EQ(
      JudgeDigest(DigestOf("ERR worker_crashed the retry died too"), expected, Allowance::kJob),
      Verdict::kCrashed);
  EXPECT_EQ(JudgeDigest(DigestOf("ERR worker_crashed this request killed two workers; refused "
                                 "for 42 s more without starting a worker"),
                        expected, Allowance::kJob),
            Verdict::kCrashed);
  EXPECT_EQ(JudgeDigest(DigestOf("ERR busy"), expected, Allowance::kJob), Verdict::kBusy);
  EXPECT_EQ(JudgeDigest(DigestOf("ERR timeout"), expected, Allowance::kJob), Verdict::kWrong);
  // A long line that starts like an error is not one.
  EXPECT_EQ(JudgeDigest(DigestOf("ERR busy" + std::string(1000, ' ')), expected, Allowance::kJob),
            Verdict::kWrong);
}

TEST(AnswerDigestTest, SameDigestHoweverTheBytesAreSplit) {
  std::string digits;
  for (int i = 0; i < 10'000; ++i) digits += static_cast<char>('0' + i * 7 % 10);
  const AnswerDigest whole = DigestOf(digits);
  for (std::size_t chunk : {1u, 3u, 255u, 256u, 257u, 4096u}) {
    DigestBuilder b;
    for (std::size_t at = 0; at < digits.size(); at += chunk)
      b.Add(std::string_view(digits).substr(at, chunk));
    EXPECT_EQ(b.digest(), whole) << chunk;
  }
  EXPECT_EQ(whole.length, 10'000u);
  EXPECT_EQ(whole.start, digits.substr(0, AnswerDigest::kStartBytes));
}

TEST(AnswerDigestTest, HashIsFnv1a64) {
  // Published FNV-1a 64 test vectors.
  EXPECT_EQ(DigestOf("").hash, 0xcbf29ce484222325ULL);
  EXPECT_EQ(DigestOf("a").hash, 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(DigestOf("foobar").hash, 0x85944171f73967e8ULL);
}

}  // namespace
}  // namespace fibpool::bench
