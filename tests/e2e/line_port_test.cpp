// What the line-protocol port does with what is not a plain request, against
// the real binaries: blank lines, a line with several problems, an HTTP
// request, and the slot of a connection the server closed.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/line_client.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"

namespace fibpool::testing {
namespace {

using std::chrono::seconds;

TEST(LinePort, BlankLinesAreIgnored) {
  ServerProcess server({"--workers", "1"});
  LineClient client(server.port());
  client.Send("\n  \r\n\t\n10\n\n20\n");
  EXPECT_EQ(client.ReadLine(), "55");
  EXPECT_EQ(client.ReadLine(), "6765");
  EXPECT_EQ(client.Ask("ping"), "pong");  // nothing else was answered
}

TEST(LinePort, TheFirstProblemInALineIsTheOneReported) {
  ServerProcess server({"--workers", "1"});
  LineClient client(server.port());
  const auto answer = client.Ask("abc slow");
  ASSERT_TRUE(answer.has_value());
  EXPECT_TRUE(answer->starts_with("ERR bad_request ")) << *answer;
  EXPECT_NE(answer->find("'abc'"), std::string::npos) << *answer;
}

TEST(LinePort, AnHttpRequestGetsOneLineNamingTheMetricsPortThenTheConnectionCloses) {
  ServerProcess server({"--workers", "1", "--metrics-port", "0"});
  LineClient observer(server.port());
  const std::uint64_t metrics_port = Counter(AskStats(observer), "metrics_port");
  LineClient browser(server.port());
  browser.Send("GET /metrics HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n");
  const auto answer = browser.ReadLine();
  ASSERT_TRUE(answer.has_value());
  EXPECT_TRUE(answer->starts_with("ERR bad_request ")) << *answer;
  EXPECT_NE(answer->find("port " + std::to_string(metrics_port)), std::string::npos) << *answer;
  EXPECT_TRUE(browser.WaitForClose());  // the headers got no answers
  EXPECT_EQ(Counter(AskStats(observer), "errors", "bad_request"), 1u);
}

TEST(LinePort, AnHttpRequestWithoutMetricsSaysHowToTurnThemOn) {
  ServerProcess server({"--workers", "1"});
  LineClient browser(server.port());
  const auto answer = browser.Ask("GET / HTTP/1.0\r");
  ASSERT_TRUE(answer.has_value());
  EXPECT_NE(answer->find("--metrics-port"), std::string::npos) << *answer;
  EXPECT_TRUE(browser.WaitForClose());
}

TEST(LinePort, AnIdleConnectionFreesItsSlotTheMomentTheServerClosesIt) {
  ServerProcess server({"--workers", "1", "--max-connections", "1", "--idle-timeout", "0.3"});
  LineClient idle(server.port());
  ASSERT_EQ(idle.Ask("ping"), "pong");
  // The server closes it; this client keeps its side open.
  ASSERT_TRUE(idle.WaitForClose(seconds(5)));
  LineClient next(server.port());
  EXPECT_EQ(next.Ask("10"), "55");
  EXPECT_EQ(Counter(AskStats(next), "connections_refused"), 0u);
}

}  // namespace
}  // namespace fibpool::testing
