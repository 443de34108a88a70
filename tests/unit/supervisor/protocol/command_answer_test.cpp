#include "supervisor/protocol/command_answer.h"

#include <gtest/gtest.h>

namespace fibpool::supervisor {
namespace {

TEST(CommandAnswer, PingHelpAndQuitAreAnsweredAndOnlyQuitIsTheLast) {
  const ParserLimits limits{};
  EXPECT_EQ(AnswerCommand(ParseRequest("ping", limits), -1).line, "pong\n");
  EXPECT_FALSE(AnswerCommand(ParseRequest("ping", limits), -1).last);
  EXPECT_EQ(AnswerCommand(ParseRequest("help", limits), -1).line, std::string(HelpText()) + "\n");
  const CommandAnswer quit = AnswerCommand(ParseRequest("quit", limits), -1);
  EXPECT_EQ(quit.line, "bye\n");
  EXPECT_TRUE(quit.last);
  EXPECT_FALSE(quit.error);
}

TEST(CommandAnswer, AnHttpRequestIsTheLastAndNamesTheMetricsPort) {
  const ParserLimits limits{};
  const CommandAnswer with = AnswerCommand(ParseRequest("GET / HTTP/1.1", limits), 9100);
  EXPECT_TRUE(with.last);
  ASSERT_TRUE(with.error);
  EXPECT_NE(with.line.find("served on port 9100"), std::string::npos) << with.line;
  const CommandAnswer without = AnswerCommand(ParseRequest("GET / HTTP/1.1", limits), -1);
  EXPECT_NE(without.line.find("--metrics-port"), std::string::npos) << without.line;
}

TEST(CommandAnswer, AnInvalidLineIsAnErrLineAndNotTheLast) {
  const CommandAnswer answer = AnswerCommand(ParseRequest("banana", ParserLimits{}), -1);
  EXPECT_TRUE(answer.line.starts_with("ERR ")) << answer.line;
  ASSERT_TRUE(answer.error);
  EXPECT_FALSE(answer.last);
}

}  // namespace
}  // namespace fibpool::supervisor
