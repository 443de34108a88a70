#include "bench/inline_executor.h"

#include <gtest/gtest.h>

namespace fibpool::bench {
namespace {

TEST(InlineExecutorTest, CallbackIsPostedNeverCalledInsideSubmit) {
  boost::asio::io_context io;
  InlineExecutor executor(io, 1000);
  std::string got;
  bool called = false;
  supervisor::Refusal refusal;
  const auto id = executor.Submit(
      ipc::Algorithm::kFast, 30, "127.0.0.1",
      [&](supervisor::JobResult&& r) {
        called = true;
        got = r.text;
        EXPECT_FALSE(r.error.has_value());
      },
      &refusal);
  ASSERT_TRUE(id.has_value());
  EXPECT_FALSE(called);
  io.run();
  EXPECT_TRUE(called);
  EXPECT_EQ(got, "832040");
}

TEST(InlineExecutorTest, AbandonedJobGetsNoCallback) {
  boost::asio::io_context io;
  InlineExecutor executor(io, 1000);
  bool called = false;
  supervisor::Refusal refusal;
  const auto id = executor.Submit(
      ipc::Algorithm::kRecursive, 20, "127.0.0.1", [&](supervisor::JobResult&&) { called = true; },
      &refusal);
  ASSERT_TRUE(id.has_value());
  executor.Abandon(*id);
  io.run();
  EXPECT_FALSE(called);
}

TEST(InlineExecutorTest, OutOfRangeIsAnError) {
  boost::asio::io_context io;
  InlineExecutor executor(io, 1000);
  std::optional<supervisor::AnswerError> got;
  supervisor::Refusal refusal;
  executor.Submit(
      ipc::Algorithm::kFast, 1001, "127.0.0.1", [&](supervisor::JobResult&& r) { got = r.error; },
      &refusal);
  io.run();
  EXPECT_EQ(got, supervisor::AnswerError::kOutOfRange);
}

}  // namespace
}  // namespace fibpool::bench
