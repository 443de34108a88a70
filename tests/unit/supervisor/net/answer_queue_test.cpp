#include "supervisor/net/answer_queue.h"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace fibpool::supervisor {
namespace {

std::vector<std::string> Texts(const AnswerQueue& q) {
  std::vector<std::string> out;
  for (const auto& a : q.writing()) out.push_back(a.payload.text);
  return out;
}

TEST(AnswerQueue, AnswersLeaveInRequestOrderWhateverOrderTheyComplete) {
  AnswerQueue q;
  const auto first = q.Expect(10);
  q.PushReady("pong\n");
  const auto third = q.Expect(10);
  q.Fill(third, AnswerPayload("2\n"));
  EXPECT_EQ(q.TakeReady(256), 0u);  // the first answer is not there yet
  q.Fill(first, AnswerPayload("1\n"));
  EXPECT_EQ(q.TakeReady(256), 3u);
  EXPECT_EQ(Texts(q), (std::vector<std::string>{"1\n", "pong\n", "2\n"}));
  EXPECT_TRUE(q.empty());
}

TEST(AnswerQueue, AnAnswersLeaseIsReleasedWhenItIsWrittenOrDropped) {
  auto owner = std::make_shared<ResultLease::Owner>();
  int releases = 0;
  owner->on_release = [&] { ++releases; };
  AnswerQueue q;
  const auto written = q.Expect(10);
  const auto dropped = q.Expect(10);
  AnswerPayload one("1\n");
  one.lease = ResultLease(owner, ResultRoute::kPipe, 4096);
  AnswerPayload two("2\n");
  two.lease = ResultLease(owner, ResultRoute::kBuffer, 8192);
  q.Fill(written, std::move(one));
  q.Fill(dropped, std::move(two));
  EXPECT_EQ(q.TakeReady(1), 1u);
  EXPECT_EQ(owner->budget.piped_bytes(), 4096u);  // held while the write is in flight
  q.Written();
  EXPECT_EQ(owner->budget.piped_bytes(), 0u);
  EXPECT_EQ(releases, 1);
  q.Clear();  // the client went away
  EXPECT_EQ(owner->budget.in_flight_bytes(), 0u);
  EXPECT_EQ(releases, 2);
}

TEST(AnswerQueue, OneWriteTakesAtMostTheGivenNumberOfAnswers) {
  AnswerQueue q;
  for (int i = 0; i < 5; ++i) q.PushReady("pong\n");
  EXPECT_EQ(q.TakeReady(3), 3u);
  EXPECT_EQ(q.size(), 2u);
  q.Written();
  EXPECT_EQ(q.TakeReady(3), 2u);
}

TEST(AnswerQueue, HeldBytesAreTheEstimateUntilFilledThenTheActualSizeUntilWritten) {
  AnswerQueue q;
  const auto seq = q.Expect(1000);
  q.PushReady("pong\n");
  EXPECT_EQ(q.held_bytes(), 1005u);
  q.Fill(seq, AnswerPayload("55\n"));
  EXPECT_EQ(q.held_bytes(), 8u);
  q.TakeReady(256);
  EXPECT_EQ(q.held_bytes(), 8u);  // still in the write in flight
  q.Written();
  EXPECT_EQ(q.held_bytes(), 0u);
}

TEST(AnswerQueue, OnlyAPlaceStillWaitingCanBeFilled) {
  AnswerQueue q;
  const auto seq = q.Expect(10);
  EXPECT_TRUE(q.Waits(seq));
  EXPECT_FALSE(q.Waits(seq + 1));
  q.Fill(seq, AnswerPayload("1\n"));
  EXPECT_FALSE(q.Waits(seq));
  q.TakeReady(256);
  q.Written();
  EXPECT_FALSE(q.Waits(seq));  // written: a late result has nowhere to go
}

TEST(AnswerQueue, ClearReturnsTheJobsStillComputingAndFreesTheirBytes) {
  AnswerQueue q;
  const auto a = q.Expect(100);
  const auto b = q.Expect(100);
  q.Expect(100);  // no job: the submit failed or has not returned yet
  q.SetJob(a, 7);
  q.SetJob(b, 8);
  q.Fill(b, AnswerPayload("1\n"));
  EXPECT_EQ(q.Clear(), std::vector<std::uint64_t>{7});
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.held_bytes(), 0u);
  EXPECT_FALSE(q.Waits(a));
}

}  // namespace
}  // namespace fibpool::supervisor
