#include "bench/inline_executor.h"

#include <gtest/gtest.h>

#include "supervisor/sched/job_spec.h"

namespace fibpool::bench {
namespace {

TEST(InlineExecutorTest, CallbackIsPostedNeverCalledInsideSubmit) {
  boost::asio::io_context io;
  InlineExecutor executor(io, 1000);
  std::string got;
  bool called = false;
  const auto id = executor.Submit(
      supervisor::MakeJobSpec(ipc::Algorithm::kFast, 30), "127.0.0.1",
      [&](supervisor::JobResult&& r) {
        called = true;
        got = r.payload.text;
        EXPECT_FALSE(r.error.has_value());
      });
  ASSERT_NE(id, 0u);
  EXPECT_FALSE(called);
  io.run();
  EXPECT_TRUE(called);
  EXPECT_EQ(got, "832040");
}

TEST(InlineExecutorTest, AbandonedJobGetsNoCallback) {
  boost::asio::io_context io;
  InlineExecutor executor(io, 1000);
  bool called = false;
  const auto id = executor.Submit(
      supervisor::MakeJobSpec(ipc::Algorithm::kRecursive, 20), "127.0.0.1", [&](supervisor::JobResult&&) { called = true; });
  ASSERT_NE(id, 0u);
  executor.Abandon(id);
  io.run();
  EXPECT_FALSE(called);
}

TEST(InlineExecutorTest, OutOfRangeIsAnError) {
  boost::asio::io_context io;
  InlineExecutor executor(io, 1000);
  std::optional<supervisor::AnswerError> got;
  executor.Submit(
      supervisor::MakeJobSpec(ipc::Algorithm::kFast, 1001), "127.0.0.1", [&](supervisor::JobResult&& r) { got = r.error; });
  io.run();
  EXPECT_EQ(got, supervisor::AnswerError::kOutOfRange);
}

}  // namespace
}  // namespace fibpool::bench
