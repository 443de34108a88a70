// What an operator sees and sets: the HTTP metrics endpoint, connection
// limits, idle connections, logs.
#include <gtest/gtest.h>

#include <boost/json/src.hpp>
#include <string>

#include "tests/support/line_client.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"
#include "tests/support/wait.h"

namespace fibpool::testing {
namespace {

using namespace std::chrono_literals;

// One HTTP/1.0 GET over a raw socket; the whole response (headers and body).
std::string HttpGet(std::uint16_t port, const std::string& path) {
  LineClient http(port);
  http.Send("GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n");
  std::string response;
  while (auto line = http.ReadLine(10s)) response += *line + "\n";
  return response;
}

std::uint16_t MetricsPort(LineClient& client) {
  return static_cast<std::uint16_t>(AskStats(client).at("metrics_port").to_number<int>());
}

TEST(Operations, MetricsAreOffByDefault) {
  ServerProcess server({"--workers", "1"});
  LineClient client(server.port());
  EXPECT_TRUE(AskStats(client).at("metrics_port").is_null());
}

TEST(Operations, MetricsEndpointServesPrometheusTextThatCountsRequests) {
  ServerProcess server({"--workers", "2", "--metrics-port", "0"});
  LineClient client(server.port());
  const std::uint16_t port = MetricsPort(client);
  ASSERT_GT(port, 0);
  ASSERT_EQ(client.Ask("30"), "832040");
  ASSERT_EQ(client.Ask("20 recursive"), "6765");
  ASSERT_EQ(client.Ask("nonsense")->rfind("ERR bad_request", 0), 0u);

  const std::string metrics = HttpGet(port, "/metrics");
  EXPECT_EQ(metrics.rfind("HTTP/1.0 200 OK", 0), 0u) << metrics.substr(0, 100);
  EXPECT_NE(metrics.find("text/plain; version=0.0.4"), std::string::npos);
  EXPECT_NE(metrics.find("fibpool_requests_total{outcome=\"ok\"} 2\n"), std::string::npos);
  EXPECT_NE(metrics.find("fibpool_requests_total{outcome=\"bad_request\"} 1\n"), std::string::npos);
  EXPECT_NE(metrics.find("fibpool_job_duration_seconds_count{algorithm=\"fast\"} 1\n"),
            std::string::npos);
  EXPECT_NE(metrics.find("fibpool_job_duration_seconds_count{algorithm=\"recursive\"} 1\n"),
            std::string::npos);
  EXPECT_NE(metrics.find("fibpool_workers_alive 2\n"), std::string::npos);
  EXPECT_NE(metrics.find("fibpool_connections_open 1\n"), std::string::npos);
  EXPECT_NE(metrics.find("fibpool_worker_restarts_total{cause=\"crash\"} 0\n"), std::string::npos);
  EXPECT_NE(metrics.find("fibpool_bytes_in_total "), std::string::npos);
}

TEST(Operations, HealthzAnswersOkAndUnknownPathsAre404) {
  ServerProcess server({"--workers", "1", "--metrics-port", "0"});
  LineClient client(server.port());
  const std::uint16_t port = MetricsPort(client);
  const std::string health = HttpGet(port, "/healthz");
  EXPECT_NE(health.find(" 200 "), std::string::npos) << health;
  EXPECT_NE(health.find("ok"), std::string::npos);
  EXPECT_NE(HttpGet(port, "/nope").find(" 404 "), std::string::npos);
}

TEST(Operations, ConnectionsOverTheLimitGetBusyAndAreClosed) {
  ServerProcess server({"--workers", "1", "--max-connections", "2"});
  LineClient a(server.port());
  LineClient b(server.port());
  ASSERT_EQ(a.Ask("ping"), "pong");
  ASSERT_EQ(b.Ask("ping"), "pong");
  LineClient c(server.port());
  const auto refused = c.ReadLine(5s);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->rfind("ERR busy ", 0), 0u) << *refused;
  EXPECT_TRUE(c.WaitForClose());
  EXPECT_EQ(a.Ask("10"), "55");
  EXPECT_EQ(Counter(AskStats(a), "connections_refused"), 1u);
}

TEST(Operations, IdleConnectionsAreClosedButWaitingOnesAreNot) {
  ServerProcess server({"--workers", "1", "--idle-timeout", "0.3"});
  LineClient idle(server.port());
  ASSERT_EQ(idle.Ask("ping"), "pong");
  EXPECT_TRUE(idle.WaitForClose(5s));
  // A connection whose job outlasts the idle timeout still gets its answer.
  LineClient waiting(server.port());
  EXPECT_EQ(waiting.Ask("43 recursive", 20s), "433494437");
  LineClient observer(server.port());
  EXPECT_GE(Counter(AskStats(observer), "connections_idle_closed"), 1u);
}

TEST(Operations, LogsOneLinePerWorkerDeathAndNoneForSuccessfulRequests) {
  ServerProcess server({"--workers", "1"});
  LineClient client(server.port());
  const auto log_lines = [&] {
    const std::string log = server.Log();
    return std::count(log.begin(), log.end(), '\n');
  };
  const auto before = log_lines();
  for (int i = 0; i < 50; ++i) ASSERT_EQ(client.Ask("10"), "55");
  EXPECT_EQ(log_lines(), before) << server.Log();
  const pid_t worker = WorkersOf(AskStats(client)).front().pid;
  ::kill(worker, SIGKILL);
  EXPECT_TRUE(
      WaitFor([&] { return server.Log().find("event=worker_died") != std::string::npos; }, 5s));
  const std::string log = server.Log();
  EXPECT_NE(log.find("pid=" + std::to_string(worker)), std::string::npos);
  EXPECT_NE(log.find("cause=crash"), std::string::npos);
}

}  // namespace
}  // namespace fibpool::testing
