#include "supervisor/net/access_log.h"

#include <gtest/gtest.h>

#include "supervisor/log/log_quote.h"

namespace fibpool::supervisor {
namespace {

using namespace std::chrono_literals;

TEST(AccessLog, OffLogsNothingOnLogsEveryRequest) {
  AccessLog off(0);
  EXPECT_FALSE(off.on());
  EXPECT_FALSE(off.Sample());
  AccessLog on(1);
  EXPECT_TRUE(on.on());
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(on.Sample());
}

TEST(AccessLog, AShareLogsThatShareEvenlyTheFirstRequestIncluded) {
  AccessLog tenth(0.1);
  std::vector<int> logged;
  for (int i = 0; i < 30; ++i) {
    if (tenth.Sample()) logged.push_back(i);
  }
  EXPECT_EQ(logged, (std::vector<int>{0, 10, 20}));
  AccessLog third(1.0 / 3);
  int count = 0;
  for (int i = 0; i < 3000; ++i) count += third.Sample() ? 1 : 0;
  EXPECT_NEAR(count, 1000, 1);
}

TEST(AccessLog, LineNamesTheClientTheRequestTheOutcomeTheBytesAndTheTime) {
  EXPECT_EQ(AccessLog::Line("192.0.2.7", "30", "832040\n", 7, 214us),
            "event=access client=192.0.2.7 request=\"30\" outcome=ok bytes=7 ms=0.214");
  EXPECT_EQ(AccessLog::Line("192.0.2.7", "abc", "ERR bad_request not a number or command: 'abc'\n",
                            47, 2ms),
            "event=access client=192.0.2.7 request=\"abc\" outcome=bad_request bytes=47 ms=2.000");
  EXPECT_EQ(AccessLog::Line("::1", "7", "ERR busy retry_after=3\n", 23, 1500ms),
            "event=access client=::1 request=\"7\" outcome=busy bytes=23 ms=1500.000");
  // The digits of a large result come apart from its LF.
  EXPECT_EQ(AccessLog::Line("a", "fib 100000", "\n", 20899, 3ms),
            "event=access client=a request=\"fib 100000\" outcome=ok bytes=20899 ms=3.000");
}

TEST(LogQuoted, EscapesQuotesBackslashesAndControlBytesAndCutsLongText) {
  EXPECT_EQ(LogQuoted("30 fast"), "\"30 fast\"");
  EXPECT_EQ(LogQuoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(LogQuoted("x\ny\r\x01\xff"), "\"x\\x0ay\\x0d\\x01\\xff\"");
  EXPECT_EQ(LogQuoted(std::string(200, 'a'), 4), "\"aaaa\"...");
  EXPECT_EQ(LogQuoted("abcd", 4), "\"abcd\"");
}

}  // namespace
}  // namespace fibpool::supervisor
