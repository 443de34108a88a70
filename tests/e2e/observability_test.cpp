// What an operator reads: /metrics as Prometheus's own linter sees it, the
// standard process_* metrics, and the log: UTC timestamps, rate-limited lines
// that report a burst's held-back events when it ends, worker deaths with the
// client and job they cost, busy and bad_request answers with the client, and
// the optional access log.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <ctime>
#include <optional>
#include <regex>
#include <string>

#include "tests/support/http_get.h"
#include "tests/support/line_client.h"
#include "tests/support/log_lines.h"
#include "tests/support/metric_sample.h"
#include "tests/support/pool_state.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"
#include "tests/support/temp_file.h"
#include "tests/support/wait.h"

namespace fibpool::testing {
namespace {

using namespace std::chrono_literals;

double Now() { return static_cast<double>(std::time(nullptr)); }

// Exit status and output (stdout and stderr) of `promtool check metrics` on `text`.
struct Promtool {
  int status = -1;
  std::string output;
};
Promtool CheckMetrics(const std::string& text) {
  TempFile file(text);
  Promtool result;
  FILE* p = ::popen(("promtool check metrics < " + file.path() + " 2>&1").c_str(), "r");
  if (p == nullptr) return result;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, p)) > 0;)
    result.output.append(buffer, n);
  result.status = ::pclose(p);
  return result;
}

bool HavePromtool() { return std::system("command -v promtool >/dev/null 2>&1") == 0; }

TEST(Observability, LiveMetricsPassPromtoolAndCarryTheProcessMetrics) {
  if (!HavePromtool())
    GTEST_SKIP() << "promtool is not installed (scripts/install-deps installs it)";
  ServerProcess server({"--workers", "2", "--metrics-port", "0"});
  LineClient client(server.port());
  // Every kind of series present: results of both algorithms, an error.
  ASSERT_EQ(client.Ask("30"), "832040");
  ASSERT_EQ(client.Ask("20 recursive"), "6765");
  ASSERT_EQ(client.Ask("abc")->rfind("ERR bad_request", 0), 0u);
  const std::string response = HttpGet(MetricsPort(client), "/metrics");
  ASSERT_EQ(response.rfind("HTTP/1.0 200 OK", 0), 0u) << response.substr(0, 200);
  const std::string metrics = BodyOf(response);

  const Promtool lint = CheckMetrics(metrics);
  EXPECT_EQ(lint.status, 0) << lint.output;
  EXPECT_EQ(lint.output, "") << "promtool's findings";

  const auto open_fds = Sample(metrics, "process_open_fds");
  const auto max_fds = Sample(metrics, "process_max_fds");
  ASSERT_TRUE(open_fds && max_fds) << metrics;
  EXPECT_GT(*open_fds, 3);  // stdio, the listeners, the client, the workers' pipes
  EXPECT_GE(*max_fds, *open_fds);
  const auto resident = Sample(metrics, "process_resident_memory_bytes");
  const auto virtual_bytes = Sample(metrics, "process_virtual_memory_bytes");
  ASSERT_TRUE(resident && virtual_bytes);
  EXPECT_GT(*resident, 1 << 20);
  EXPECT_GE(*virtual_bytes, *resident);
  const auto cpu = Sample(metrics, "process_cpu_seconds_total");
  ASSERT_TRUE(cpu);
  EXPECT_GE(*cpu, 0);
  EXPECT_LT(*cpu, 60);
  const auto started = Sample(metrics, "process_start_time_seconds");
  ASSERT_TRUE(started);
  EXPECT_NEAR(*started, Now(), 60);
  EXPECT_NE(metrics.find("# TYPE process_cpu_seconds_total counter\n"), std::string::npos);
  EXPECT_NE(metrics.find("# TYPE process_open_fds gauge\n"), std::string::npos);
}

TEST(Observability, LogTimestampsAreUtcWhateverTzSays) {
  ServerProcess server({"--workers", "1"}, {{"TZ", "Asia/Tokyo"}});
  const std::string ready = LogLineWith(server.Log(), "event=ready");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      ready, m,
      std::regex(R"(^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.\d{3}Z info fibpool\[)")))
      << ready;
  std::tm tm{};
  tm.tm_year = std::stoi(m[1]) - 1900;
  tm.tm_mon = std::stoi(m[2]) - 1;
  tm.tm_mday = std::stoi(m[3]);
  tm.tm_hour = std::stoi(m[4]);
  tm.tm_min = std::stoi(m[5]);
  tm.tm_sec = std::stoi(m[6]);
  // Tokyo's local time would be 9 hours off.
  EXPECT_NEAR(static_cast<double>(::timegm(&tm)), Now(), 60) << ready;
}

TEST(Observability, BadRequestsAreLoggedWithTheClientAndABurstsRestIsCountedWhenItEnds) {
  ServerProcess server({"--workers", "1"});
  LineClient client(server.port());
  client.Send("abc\nabc\nabc\nabc\n");  // four in one burst, then nothing
  for (int i = 0; i < 4; ++i) ASSERT_EQ(client.ReadLine()->rfind("ERR bad_request", 0), 0u);
  // The first is logged at once, with the client and the detail...
  EXPECT_TRUE(WaitFor(
      [&] {
        return server.Log().find(" info fibpool[") != std::string::npos &&
               server.Log().find(
                   "event=bad_request client=127.0.0.1 detail=\"not a number or "
                   "command: 'abc'\" suppressed=0") != std::string::npos;
      },
      5s))
      << server.Log();
  // ...and the three held back are reported when the interval ends, though no
  // fifth event comes to carry the count.
  EXPECT_TRUE(WaitFor(
      [&] { return server.Log().find("event=bad_request suppressed=3\n") != std::string::npos; },
      5s))
      << server.Log();
  EXPECT_EQ(LogLineWith(server.Log(), "event=bad_request suppressed=3").find(" info "), 24u);
}

TEST(Observability, BusyAnswersAreLoggedWithTheClient) {
  ServerProcess server({"--workers", "1", "--max-backlog", "1"});
  LineClient client(server.port());
  std::string request;
  for (int i = 0; i < 8; ++i) request += "36 recursive\n";
  client.Send(request);  // one write: all read before the first job ends
  int busy = 0;
  for (int i = 0; i < 8; ++i) {
    const auto answer = client.ReadLine();
    ASSERT_TRUE(answer);
    busy += answer->rfind("ERR busy", 0) == 0 ? 1 : 0;
  }
  ASSERT_GE(busy, 2);
  EXPECT_TRUE(WaitFor(
      [&] {
        return server.Log().find(
                   "event=busy client=127.0.0.1 detail=\"your address has too many "
                   "waiting jobs; try again later\" suppressed=0") != std::string::npos;
      },
      5s))
      << server.Log();
  // Every refusal is accounted for: the first line, and the held-back rest.
  EXPECT_TRUE(WaitFor(
      [&] {
        return server.Log().find("event=busy suppressed=" + std::to_string(busy - 1) + "\n") !=
               std::string::npos;
      },
      5s))
      << server.Log();
}

TEST(Observability, AWorkerDeathNamesTheClientAlgorithmAndNOfItsJob) {
  ServerProcess server({"--workers", "1"});
  LineClient client(server.port());
  LineClient observer(server.port());
  client.Send("44 recursive\n");
  const auto busy = WaitForBusyWorker(observer, 10s);
  ASSERT_TRUE(busy) << "no job ran";
  ASSERT_EQ(::kill(busy->pid, SIGKILL), 0);
  EXPECT_TRUE(
      WaitFor([&] { return !LogLineWith(server.Log(), "event=worker_died").empty(); }, 10s));
  const std::string died = LogLineWith(server.Log(), "event=worker_died");
  EXPECT_NE(died.find("pid=" + std::to_string(busy->pid)), std::string::npos) << died;
  EXPECT_NE(died.find(" client=127.0.0.1 algorithm=recursive n=44 "), std::string::npos) << died;
  EXPECT_NE(died.find("exit=SIGKILL"), std::string::npos) << died;
}

TEST(Observability, TheAccessLogIsOffByDefault) {
  ServerProcess server({"--workers", "1"});
  LineClient client(server.port());
  ASSERT_EQ(client.Ask("30"), "832040");
  ASSERT_EQ(client.Ask("ping"), "pong");
  EXPECT_EQ(server.Log().find("event=access"), std::string::npos) << server.Log();
}

TEST(Observability, TheAccessLogHasOneLinePerAnsweredRequest) {
  ServerProcess server({"--workers", "1", "--access-log", "on"});
  LineClient client(server.port());
  ASSERT_EQ(client.Ask("30"), "832040");
  ASSERT_EQ(client.Ask("a\"b")->rfind("ERR bad_request", 0), 0u);
  ASSERT_EQ(client.Ask("ping"), "pong");
  ASSERT_TRUE(WaitFor([&] { return !LogLineWith(server.Log(), "request=\"ping\"").empty(); }, 5s))
      << server.Log();
  const std::regex time(R"( ms=\d+\.\d{3}$)");
  const std::string ok = LogLineWith(server.Log(), "event=access");
  EXPECT_NE(ok.find(" info fibpool["), std::string::npos) << ok;
  EXPECT_NE(ok.find("event=access client=127.0.0.1 request=\"30\" outcome=ok bytes=7 ms="),
            std::string::npos)
      << ok;
  EXPECT_TRUE(std::regex_search(ok, time)) << ok;
  const std::string bad = LogLineWith(server.Log(), "request=\"a\\\"b\"");
  EXPECT_NE(bad.find("outcome=bad_request bytes="), std::string::npos) << server.Log();
  EXPECT_TRUE(std::regex_search(bad, time)) << bad;
  EXPECT_NE(LogLineWith(server.Log(), "request=\"ping\"").find("outcome=ok bytes=5 ms="),
            std::string::npos);
}

TEST(Observability, TheAccessLogCanLogAShareOfTheRequests) {
  ServerProcess server({"--workers", "1", "--access-log", "0.25"});
  LineClient client(server.port());
  for (int i = 0; i < 20; ++i) ASSERT_EQ(client.Ask("ping"), "pong");
  ASSERT_EQ(client.Ask("10"), "55");  // the 21st: logged (1 in 4, the first included)
  ASSERT_TRUE(WaitFor([&] { return !LogLineWith(server.Log(), "request=\"10\"").empty(); }, 5s))
      << server.Log();
  std::size_t lines = 0;
  const std::string log = server.Log();
  for (auto at = log.find("event=access"); at != std::string::npos;
       at = log.find("event=access", at + 1)) {
    ++lines;
  }
  EXPECT_EQ(lines, 6u) << log;
}

}  // namespace
}  // namespace fibpool::testing
