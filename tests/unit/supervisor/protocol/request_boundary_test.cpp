#include "supervisor/protocol/request_boundary.h"

#include <gtest/gtest.h>

namespace fibpool::supervisor {
namespace {

using Action = RequestBoundary::Action;
using Mode = RequestBoundary::Mode;

Request Parsed(std::string_view bytes) { return ParseRequest(bytes, ParserLimits{}); }

TEST(RequestBoundary, AFirstCompleteNewlineLessRequestIsAnsweredAfterThePause) {
  RequestBoundary b;
  b.Saw("30", 0);
  EXPECT_EQ(b.mode(), Mode::kUndecided);
  EXPECT_EQ(b.Decide(Parsed("30")), Action::kAnswerAfterPause);
  EXPECT_EQ(b.Decide(Parsed("ping")), Action::kAnswerAfterPause);
}

TEST(RequestBoundary, AnIncompleteOrBlankFirstRequestWaits) {
  RequestBoundary b;
  b.Saw("fib", 0);
  EXPECT_EQ(b.Decide(Parsed("fib")), Action::kWaitForMore);
  EXPECT_EQ(b.Decide(Parsed("st")), Action::kWaitForMore);
  EXPECT_EQ(b.Decide(Parsed("  ")), Action::kWaitForMore);
}

TEST(RequestBoundary, AfterOneAnswerEveryReadIsARequestAtOnce) {
  RequestBoundary b;
  b.Saw("1", 0);
  b.Answered();
  EXPECT_EQ(b.mode(), Mode::kReadPerRequest);
  EXPECT_EQ(b.Decide(Parsed("1")), Action::kAnswerNow);
  EXPECT_EQ(b.Decide(Parsed("abc")), Action::kAnswerNow);
  EXPECT_EQ(b.Decide(Parsed(" ")), Action::kWaitForMore);
}

TEST(RequestBoundary, ANewlineMakesALineConnectionForGood) {
  RequestBoundary b;
  b.Saw("10\n3", 0);
  EXPECT_EQ(b.mode(), Mode::kLine);
  EXPECT_EQ(b.Decide(Parsed("3")), Action::kWaitForMore);
  b.Answered();
  EXPECT_EQ(b.mode(), Mode::kLine);

  RequestBoundary read_per_request;
  read_per_request.Saw("1", 0);
  read_per_request.Answered();
  read_per_request.Saw("2\n", 0);
  EXPECT_EQ(read_per_request.mode(), Mode::kLine);
  EXPECT_EQ(read_per_request.Decide(Parsed("3")), Action::kWaitForMore);
}

TEST(RequestBoundary, AFirstRequestInSeveralReadsMakesALineConnection) {
  RequestBoundary typed;  // `fib 9` typed a key at a time, `0` still to come
  typed.Saw("f", 0);
  EXPECT_EQ(typed.Decide(Parsed("f")), Action::kWaitForMore);
  typed.Saw("ib 9", 1);
  EXPECT_EQ(typed.mode(), Mode::kLine);
  EXPECT_EQ(typed.Decide(Parsed("fib 9")), Action::kWaitForMore);

  RequestBoundary read_per_request;  // two requests read as one, as the classic server would
  read_per_request.Saw("1", 0);
  read_per_request.Answered();
  read_per_request.Saw("2", 1);
  EXPECT_EQ(read_per_request.mode(), Mode::kReadPerRequest);
}

}  // namespace
}  // namespace fibpool::supervisor
