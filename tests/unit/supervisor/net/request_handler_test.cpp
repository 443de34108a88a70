// RequestHandler with a fake executor: what each kind of request line puts
// in the answer queue, what reaches the executor, and how a job's result or
// refusal fills its place.
#include "supervisor/net/request_handler.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "supervisor/net/connection_log.h"
#include "supervisor/sched/cost_model.h"

namespace fibpool::supervisor {
namespace {

// Takes every job and keeps its callback for the test to answer.
class FakeExecutor : public JobExecutor {
 public:
  std::uint64_t Submit(const JobSpec& spec, const std::string& flow,
                       JobCallback callback) override {
    specs.push_back(spec);
    flows.push_back(flow);
    callbacks.emplace(next_id, std::move(callback));
    return next_id++;
  }
  void Abandon(std::uint64_t job_id) override { callbacks.erase(job_id); }

  std::vector<JobSpec> specs;
  std::vector<std::string> flows;
  std::map<std::uint64_t, JobCallback> callbacks;
  std::uint64_t next_id = 7;
};

class RequestHandlerTest : public ::testing::Test {
 protected:
  RequestHandlerTest() {
    env_.executor = &executor_;
    env_.metrics = &metrics_;
    env_.log = &log_;
    env_.max_line = 64;
    env_.stats = [] { return std::string("stats line"); };
  }

  // The answers ready at the front, in order.
  std::vector<std::string> Ready() {
    std::vector<std::string> out;
    answers_.TakeReady(256);
    for (const AnswerQueue::Answer& a : answers_.writing()) out.push_back(a.payload.text);
    answers_.Written();
    return out;
  }
  // The callback of the job of place `seq` (the binder's own).
  JobCallback Bound(std::uint64_t seq) {
    return [this, seq](JobResult&& r) { handler_.Complete(seq, std::move(r)); };
  }

  boost::asio::io_context io_;
  FakeExecutor executor_;
  Metrics metrics_;
  ConnectionLog log_{io_.get_executor(), 0.0};
  ConnectionEnv env_;
  AnswerQueue answers_;
  RequestHandler handler_{env_, answers_, "192.0.2.7",
                          [this](std::uint64_t seq) { return Bound(seq); }};
};

TEST_F(RequestHandlerTest, ACommandIsAnsweredAtOnceAndReachesNoExecutor) {
  EXPECT_EQ(handler_.Handle("ping"), RequestHandler::Next::kRead);
  EXPECT_EQ(Ready(), std::vector<std::string>{"pong\n"});
  EXPECT_TRUE(executor_.specs.empty());
  EXPECT_EQ(std::uint64_t{metrics_.requests}, 1u);
}

TEST_F(RequestHandlerTest, ABlankLineIsNoRequest) {
  EXPECT_EQ(handler_.Handle("  \t"), RequestHandler::Next::kRead);
  EXPECT_TRUE(answers_.empty());
  EXPECT_EQ(std::uint64_t{metrics_.requests}, 0u);
}

TEST_F(RequestHandlerTest, QuitIsTheLastAnswer) {
  EXPECT_EQ(handler_.Handle("quit"), RequestHandler::Next::kStop);
  EXPECT_EQ(Ready().size(), 1u);
}

TEST_F(RequestHandlerTest, AnInvalidLineIsOneCountedErrLine) {
  EXPECT_EQ(handler_.Handle("fib -3"), RequestHandler::Next::kRead);
  const auto ready = Ready();
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_TRUE(ready[0].starts_with("ERR bad_request ")) << ready[0];
  EXPECT_EQ(std::uint64_t{metrics_.errors[static_cast<std::size_t>(AnswerError::kBadRequest)]}, 1u);
  EXPECT_TRUE(executor_.specs.empty());
}

TEST_F(RequestHandlerTest, AJobGoesToTheExecutorWithItsSpecMadeOnceAndItsPlaceWaits) {
  EXPECT_EQ(handler_.Handle("30 recursive"), RequestHandler::Next::kRead);
  ASSERT_EQ(executor_.specs.size(), 1u);
  const JobSpec& spec = executor_.specs[0];
  EXPECT_EQ(spec.algorithm, ipc::Algorithm::kRecursive);
  EXPECT_EQ(spec.n, 30u);
  EXPECT_EQ(spec.cost_ns, EstimatedCostNanos(ipc::Algorithm::kRecursive, 30));
  EXPECT_EQ(spec.answer_bytes, EstimatedAnswerBytes(ipc::Algorithm::kRecursive, 30));
  EXPECT_EQ(executor_.flows[0], "192.0.2.7");
  // The place holds the estimate for flow control until the answer comes.
  EXPECT_EQ(answers_.held_bytes(), spec.answer_bytes);
  EXPECT_TRUE(Ready().empty());
  // A clear returns the executor's id, to abandon.
  EXPECT_EQ(answers_.Clear(), std::vector<std::uint64_t>{7});
}

TEST_F(RequestHandlerTest, AResultFillsItsPlaceAndAnswersLeaveInRequestOrder) {
  handler_.Handle("10");
  handler_.Handle("20");
  handler_.Handle("ping");
  ASSERT_EQ(executor_.callbacks.size(), 2u);
  executor_.callbacks.at(8)(JobResult{{}, AnswerPayload("6765")});
  EXPECT_TRUE(Ready().empty()) << "the first request's answer is not there yet";
  executor_.callbacks.at(7)(JobResult{{}, AnswerPayload("55")});
  EXPECT_EQ(Ready(), (std::vector<std::string>{"55\n", "6765\n", "pong\n"}));
  EXPECT_EQ(std::uint64_t{metrics_.results}, 2u);
}

TEST_F(RequestHandlerTest, ARefusalFromTheExecutorIsTheRequestsErrLine) {
  handler_.Handle("10");
  executor_.callbacks.at(7)(
      JobResult::Error(AnswerError::kBusy, "the backlog is full; try again later"));
  EXPECT_EQ(Ready(), std::vector<std::string>{"ERR busy the backlog is full; try again later\n"});
  EXPECT_EQ(std::uint64_t{metrics_.errors[static_cast<std::size_t>(AnswerError::kBusy)]}, 1u);
  EXPECT_EQ(std::uint64_t{metrics_.results}, 0u);
}

TEST_F(RequestHandlerTest, AResultForAPlaceNoLongerWaitingIsDropped) {
  handler_.Handle("10");
  JobCallback callback = std::move(executor_.callbacks.at(7));
  answers_.Clear();  // the client went away
  EXPECT_FALSE(handler_.Complete(0, JobResult{{}, AnswerPayload("55")}));
  callback(JobResult{{}, AnswerPayload("55")});
  EXPECT_TRUE(Ready().empty());
  EXPECT_EQ(std::uint64_t{metrics_.results}, 0u);
}

TEST_F(RequestHandlerTest, StatsIsAnsweredInlineWhenItsFiguresAreOnThisThread) {
  EXPECT_EQ(handler_.Handle("stats"), RequestHandler::Next::kRead);
  EXPECT_EQ(Ready(), std::vector<std::string>{"stats line\n"});
}

TEST_F(RequestHandlerTest, StatsFromAnotherThreadKeepsAPlaceForTheConnectionToFill) {
  boost::asio::io_context figures;
  env_.stats_executor = figures.get_executor();
  handler_.Handle("10");
  EXPECT_EQ(handler_.Handle("stats"), RequestHandler::Next::kAskStats);
  EXPECT_EQ(handler_.stats_seq(), 1u);
  EXPECT_TRUE(answers_.Waits(1));
}

TEST_F(RequestHandlerTest, ALineTooLongIsCountedAsARequestWithItsError) {
  handler_.LineTooLong();
  EXPECT_EQ(Ready(), std::vector<std::string>{"ERR line_too_long line longer than 64 bytes\n"});
  EXPECT_EQ(std::uint64_t{metrics_.requests}, 1u);
  EXPECT_EQ(std::uint64_t{metrics_.errors[static_cast<std::size_t>(AnswerError::kLineTooLong)]}, 1u);
}

}  // namespace
}  // namespace fibpool::supervisor
