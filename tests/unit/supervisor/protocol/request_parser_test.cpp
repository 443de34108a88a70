#include "supervisor/protocol/request_parser.h"

#include <gtest/gtest.h>

namespace fibpool::supervisor {
namespace {

const ParserLimits kLimits{};

Request Parse(std::string_view line) { return ParseRequest(line, kLimits); }

TEST(RequestParser, BareNumberUsesDefaultAlgorithm) {
  const Request r = Parse("30");
  ASSERT_EQ(r.kind, Request::Kind::kCompute);
  EXPECT_EQ(r.n, 30u);
  EXPECT_EQ(r.algorithm, ipc::Algorithm::kFast);
  const Request recursive_default = ParseRequest("30", ParserLimits{ipc::Algorithm::kRecursive});
  EXPECT_EQ(recursive_default.algorithm, ipc::Algorithm::kRecursive);
}

TEST(RequestParser, AcceptsEveryFormWithAlgorithmAndFibPrefix) {
  for (std::string_view line : {"fib 30", "30 fast", "fib 30 fast", "FIB 30 FAST", "Fib 30 Fast"}) {
    const Request r = Parse(line);
    ASSERT_EQ(r.kind, Request::Kind::kCompute) << line;
    EXPECT_EQ(r.n, 30u) << line;
    EXPECT_EQ(r.algorithm, ipc::Algorithm::kFast) << line;
  }
  const Request r = Parse("fib 25 recursive");
  EXPECT_EQ(r.algorithm, ipc::Algorithm::kRecursive);
  EXPECT_EQ(r.n, 25u);
}

TEST(RequestParser, DropsCrAndSurroundingBlanks) {
  for (std::string_view line : {"30\r", "  30  ", "\t30\t", " fib\t30 \r", "30 \t recursive \r"}) {
    const Request r = Parse(line);
    ASSERT_EQ(r.kind, Request::Kind::kCompute) << line;
    EXPECT_EQ(r.n, 30u);
  }
}

TEST(RequestParser, EmptyAndBlankLinesAreIgnored) {
  for (std::string_view line : {"", "\r", "   ", "\t \t", " \r"}) {
    EXPECT_EQ(Parse(line).kind, Request::Kind::kEmpty) << line;
  }
}

TEST(RequestParser, CommandsAreCaseInsensitive) {
  EXPECT_EQ(Parse("PING").kind, Request::Kind::kPing);
  EXPECT_EQ(Parse("ping").kind, Request::Kind::kPing);
  EXPECT_EQ(Parse("Stats").kind, Request::Kind::kStats);
  EXPECT_EQ(Parse("HeLp").kind, Request::Kind::kHelp);
  EXPECT_EQ(Parse("QUIT\r").kind, Request::Kind::kQuit);
}

TEST(RequestParser, CommandsWithArgumentsAreBadRequests) {
  const Request r = Parse("ping 3");
  EXPECT_EQ(r.kind, Request::Kind::kInvalid);
  EXPECT_EQ(r.error, AnswerError::kBadRequest);
}

TEST(RequestParser, ACommandWithArgumentsIsNamedInLowerCaseWhateverCaseItCameIn) {
  EXPECT_EQ(Parse("QuIt now").detail, "quit takes no arguments");
  EXPECT_EQ(Parse("STATS all").detail, "stats takes no arguments");
}

TEST(RequestParser, AnAlgorithmNameDiffersFromAKnownOneByMoreThanCase) {
  EXPECT_EQ(Parse("30 rEcUrSiVe").algorithm, ipc::Algorithm::kRecursive);
  for (std::string_view line : {"30 fas", "30 fastt", "30 recursiv", "30 f\xc3\xa1st"}) {
    EXPECT_EQ(Parse(line).kind, Request::Kind::kInvalid) << line;
  }
}

TEST(RequestParser, RejectsWhatIsNotANonNegativeNumber) {
  for (std::string_view line : {"abc", "-5", "+5", "3.5", "1e3", "0x10", "3 4", "fib", "fib x",
                                "30 slow", "fib 30 fast extra", "１２", "\xff\xfe"}) {
    const Request r = Parse(line);
    EXPECT_EQ(r.kind, Request::Kind::kInvalid) << line;
    EXPECT_EQ(r.error, AnswerError::kBadRequest) << line;
    EXPECT_FALSE(r.detail.empty());
  }
}

TEST(RequestParser, TheFirstProblemInTheLineIsReported) {
  EXPECT_NE(Parse("abc slow").detail.find("'abc'"), std::string::npos);
  EXPECT_NE(Parse("fib abc slow").detail.find("'abc'"), std::string::npos);
  EXPECT_NE(Parse("-5 slow").detail.find("negative"), std::string::npos);
  EXPECT_NE(Parse("30 slow").detail.find("'slow'"), std::string::npos);
}

TEST(RequestParser, AnUnknownAlgorithmIsAnsweredWithTheChoices) {
  const Request r = Parse("5 slow");
  EXPECT_EQ(r.error, AnswerError::kBadRequest);
  EXPECT_NE(r.detail.find("(fast or recursive)"), std::string::npos) << r.detail;
}

TEST(RequestParser, AnHttpRequestLineIsRecognisedAsHttp) {
  for (std::string_view line :
       {"GET / HTTP/1.1\r", "GET /metrics HTTP/1.0", "HEAD /healthz HTTP/1.1", "POST /x HTTP/2"}) {
    const Request r = Parse(line);
    EXPECT_EQ(r.kind, Request::Kind::kHttp) << line;
    EXPECT_EQ(r.error, AnswerError::kBadRequest) << line;
    EXPECT_NE(r.detail.find("HTTP"), std::string::npos) << line;
  }
  EXPECT_EQ(Parse("GET / FTP").kind, Request::Kind::kInvalid);
  EXPECT_EQ(Parse("get 30").kind, Request::Kind::kInvalid);
}

TEST(RequestParser, ControlBytesAreBadRequests) {
  using namespace std::string_view_literals;
  for (std::string_view line : {"3\0"sv, "\x01"sv, "30\x1b"sv, "3\r0"sv, "\x7f"sv}) {
    const Request r = Parse(line);
    EXPECT_EQ(r.kind, Request::Kind::kInvalid);
    EXPECT_EQ(r.error, AnswerError::kBadRequest);
  }
}

TEST(RequestParser, LimitsDependOnTheAlgorithmAndNameTheLimit) {
  EXPECT_EQ(Parse("93 recursive").kind, Request::Kind::kCompute);
  const Request recursive = Parse("94 recursive");
  EXPECT_EQ(recursive.error, AnswerError::kOutOfRange);
  EXPECT_NE(recursive.detail.find("93"), std::string::npos);

  EXPECT_EQ(Parse("100000000").kind, Request::Kind::kCompute);
  const Request fast = Parse("100000001");
  EXPECT_EQ(fast.error, AnswerError::kOutOfRange);
  EXPECT_NE(fast.detail.find("100000000"), std::string::npos);
}

TEST(RequestParser, NumbersBeyondSixtyFourBitsAreOutOfRange) {
  EXPECT_EQ(Parse("18446744073709551616").error, AnswerError::kOutOfRange);
  EXPECT_EQ(Parse("99999999999999999999999999").error, AnswerError::kOutOfRange);
}

TEST(RequestParser, LeadingZerosAreDecimal) {
  const Request r = Parse("0010");
  ASSERT_EQ(r.kind, Request::Kind::kCompute);
  EXPECT_EQ(r.n, 10u);
}

TEST(RequestParser, LongGarbageIsQuotedShortly) {
  const Request r = Parse(std::string(500, 'x'));
  EXPECT_EQ(r.error, AnswerError::kBadRequest);
  EXPECT_LT(r.detail.size(), 100u);
}

TEST(ErrorLine, HasCodeDetailAndNoControlBytes) {
  EXPECT_EQ(ErrorLine(AnswerError::kBusy, "try\nlater"), "ERR busy try?later\n");
  EXPECT_EQ(ErrorLine(AnswerError::kWorkerCrashed, "x"), "ERR worker_crashed x\n");
}

}  // namespace
}  // namespace fibpool::supervisor
