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

std::size_t Occurrences(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

// The log line holding `what`, from its start up to `what`.
std::string LinePrefix(const std::string& log, const std::string& what) {
  const auto at = log.find(what);
  if (at == std::string::npos) return {};
  const auto newline = log.rfind('\n', at);
  const auto start = newline == std::string::npos ? 0 : newline + 1;
  return log.substr(start, at - start);
}

TEST(LinePort, RefusedConnectionsAreLoggedAtInfoAtMostOnceASecond) {
  ServerProcess server({"--workers", "1", "--max-connections", "1"});
  LineClient holder(server.port());
  ASSERT_EQ(holder.Ask("ping"), "pong");
  constexpr int kRefused = 20;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRefused; ++i) {
    LineClient refused(server.port());
    ASSERT_TRUE(refused.ReadLine()->starts_with("ERR busy")) << "connection " << i;
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(Counter(AskStats(holder), "connections_refused"), std::uint64_t{kRefused});
  const std::string log = server.Log();
  const std::size_t lines = Occurrences(log, "event=connection_refused");
  EXPECT_GE(lines, 1u) << log;
  EXPECT_LE(lines, 1 + static_cast<std::size_t>(
                           std::chrono::duration_cast<std::chrono::seconds>(elapsed).count()))
      << log;
  EXPECT_NE(LinePrefix(log, "event=connection_refused").find(" info "), std::string::npos) << log;
}

TEST(LinePort, IdleAndLineTooLongClosesAreLoggedAtDebug) {
  ServerProcess server(
      {"--workers", "1", "--idle-timeout", "0.3", "--max-line", "16", "--log-level", "debug"});
  LineClient idle(server.port());
  ASSERT_EQ(idle.Ask("ping"), "pong");
  ASSERT_TRUE(idle.WaitForClose(seconds(5)));
  LineClient talker(server.port());
  ASSERT_TRUE(talker.Ask(std::string(17, '1'))->starts_with("ERR line_too_long"));
  ASSERT_TRUE(talker.WaitForClose());
  const std::string log = server.Log();
  EXPECT_EQ(Occurrences(log, "event=connection_closed reason=idle"), 1u) << log;
  EXPECT_EQ(Occurrences(log, "event=connection_closed reason=line_too_long"), 1u) << log;
  EXPECT_NE(LinePrefix(log, "reason=idle").find(" debug "), std::string::npos) << log;
}

}  // namespace
}  // namespace fibpool::testing
