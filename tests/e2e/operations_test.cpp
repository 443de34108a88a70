// What an operator sees and sets: the HTTP metrics endpoint, connection
// limits, idle connections, logs.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <utility>

#include "tests/support/http_get.h"
#include "tests/support/line_client.h"
#include "tests/support/metric_sample.h"
#include "tests/support/server_process.h"
#include "tests/support/shared_server.h"
#include "tests/support/stats.h"
#include "tests/support/wait.h"

namespace fibpool::testing {
namespace {

using namespace std::chrono_literals;

// The port the ready log line names for `key` ("metrics_port", "agent_port"); -1 when none.
int ReadyPort(const ServerProcess& server, const std::string& key) {
  std::smatch m;
  const std::string log = server.Log();
  if (!std::regex_search(log, m, std::regex("event=ready .* " + key + "=(-?[0-9]+)"))) return -1;
  return std::stoi(m[1]);
}

// Whether a TCP connection to address:port is accepted.
bool Connects(const std::string& address, int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, address.c_str(), &to.sin_addr);
  const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) == 0;
  ::close(fd);
  return ok;
}

TEST(Operations, MetricsHostMovesTheMetricsAndAgentPortsAndNotTheLinePort) {
  ServerProcess server({"--workers", "1", "--metrics-port", "0", "--agent-port", "0",
                        "--metrics-host", "127.0.0.2"});
  const int metrics = ReadyPort(server, "metrics_port");
  const int agent = ReadyPort(server, "agent_port");
  ASSERT_GT(metrics, 0) << server.Log();
  ASSERT_GT(agent, 0) << server.Log();
  EXPECT_TRUE(Connects("127.0.0.2", metrics));
  EXPECT_TRUE(Connects("127.0.0.2", agent));
  EXPECT_FALSE(Connects("127.0.0.1", metrics));
  EXPECT_FALSE(Connects("127.0.0.1", agent));
  LineClient client(server.port());  // the line port stays on host, 127.0.0.1
  const auto stats = AskStats(client);
  EXPECT_EQ(stats.at("settings").at("metrics_host").as_string(), "127.0.0.2");
  EXPECT_EQ(stats.at("settings").at("host").as_string(), "127.0.0.1");
}

TEST(Operations, LineStatsOffRefusesStatsOnTheLinePortOnly) {
  ServerProcess server({"--workers", "1", "--metrics-port", "0", "--line-stats", "off"});
  LineClient client(server.port());
  EXPECT_EQ(client.Ask("stats"),
            "ERR bad_request stats is disabled on this port; the metrics port serves /stats.json");
  EXPECT_EQ(client.Ask("30"), "832040");  // the connection stays usable
  const int metrics = ReadyPort(server, "metrics_port");
  ASSERT_GT(metrics, 0) << server.Log();
  const std::string body = BodyOf(HttpGet(static_cast<std::uint16_t>(metrics), "/stats.json"));
  const auto stats = boost::json::parse(body);
  EXPECT_EQ(stats.at("settings").at("line_stats").as_bool(), false);
  EXPECT_EQ(stats.at("results").to_number<int>(), 1);
}

TEST(Operations, MetricsAreOffByDefault) {
  ServerProcess server({"--workers", "1"});
  LineClient client(server.port());
  EXPECT_EQ(AskStats(client).at("metrics_port").to_number<int>(), -1);
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
  EXPECT_NE(metrics.find("fibpool_job_duration_seconds_count{algorithm=\"fast\",size=\"cheap\"} 1\n"),
            std::string::npos);
  EXPECT_NE(metrics.find("fibpool_job_duration_seconds_count{algorithm=\"recursive\",size=\"cheap\"} 1\n"),
            std::string::npos);
  EXPECT_NE(metrics.find("fibpool_workers_alive 2\n"), std::string::npos);
  EXPECT_NE(metrics.find("fibpool_connections_open 1\n"), std::string::npos);
  EXPECT_NE(metrics.find("fibpool_worker_restarts_total{cause=\"crash\"} 0\n"), std::string::npos);
  EXPECT_NE(metrics.find("fibpool_bytes_in_total "), std::string::npos);
}

// The HTTP side of the metrics port: these tests only ask and read, so they
// share one server.
class OperationsMetricsPort : public SharedServer<OperationsMetricsPort> {
 public:
  static std::vector<std::string> Args() {
    return {"--workers", "2", "--reserve-workers", "1", "--metrics-port", "0"};
  }
  static void SetUpTestSuite() {
    started_after_ = SecondsSinceEpoch();
    SharedServer::SetUpTestSuite();
  }

 protected:
  static double SecondsSinceEpoch() {
    return static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
  }
  static inline double started_after_ = 0;  // when the suite's server was started
};

TEST_F(OperationsMetricsPort, HealthzAnswersOkAndUnknownPathsAre404) {
  LineClient client(server().port());
  const std::uint16_t port = MetricsPort(client);
  const std::string health = HttpGet(port, "/healthz");
  EXPECT_NE(health.find(" 200 "), std::string::npos) << health;
  EXPECT_NE(health.find("ok"), std::string::npos);
  EXPECT_NE(HttpGet(port, "/nope").find(" 404 "), std::string::npos);
}

TEST_F(OperationsMetricsPort, MetricsWithAQueryStringIsServedLikeMetrics) {
  LineClient client(server().port());
  const std::uint16_t port = MetricsPort(client);
  const std::string metrics = HttpGet(port, "/metrics?x=y&name[]=fibpool_up");
  EXPECT_EQ(metrics.rfind("HTTP/1.0 200 OK", 0), 0u) << metrics.substr(0, 100);
  EXPECT_NE(metrics.find("fibpool_workers_alive 2\n"), std::string::npos);
}

TEST_F(OperationsMetricsPort, OtherMethodsGet405WithAnAllowHeader) {
  LineClient client(server().port());
  const std::string response = HttpExchange(
      MetricsPort(client), "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(response.rfind("HTTP/1.1 405 ", 0), 0u) << response;
  EXPECT_NE(response.find("\nAllow: GET, HEAD\r"), std::string::npos) << response;
}

TEST_F(OperationsMetricsPort, MalformedHttpGets400) {
  LineClient client(server().port());
  const std::uint16_t port = MetricsPort(client);
  for (const std::string garbage :
       {"30\r\n\r\n", "GET /metrics HTTP/9\r\n\r\n", "GET\x01 / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nNo colon\r\n\r\n"}) {
    const std::string response = HttpExchange(port, garbage);
    EXPECT_NE(response.find(" 400 Bad Request\r"), std::string::npos) << garbage << response;
  }
  // The server is still serving.
  EXPECT_NE(HttpGet(port, "/healthz").find(" 200 "), std::string::npos);
}

TEST_F(OperationsMetricsPort, MetricsExportTheReserveLaneTheVersionAndTheStartTime) {
  LineClient client(server().port());
  const std::string metrics = HttpGet(MetricsPort(client), "/metrics");
  EXPECT_NE(metrics.find("\nfibpool_reserve_workers_alive 1\n"), std::string::npos);
  EXPECT_NE(metrics.find("\nfibpool_reserve_workers_target 1\n"), std::string::npos);
  EXPECT_NE(metrics.find("\nfibpool_build_info{version=\"" FIBPOOL_VERSION "\"} 1\n"),
            std::string::npos);
  const auto at = metrics.find("\nfibpool_process_start_time_seconds ");
  ASSERT_NE(at, std::string::npos);
  const double started = std::stod(metrics.substr(at + 36));
  // Between the suite's start of the server and now; /proc's start time has
  // clock-tick resolution: 1 s is ample.
  EXPECT_GE(started, started_after_ - 1);
  EXPECT_LE(started, SecondsSinceEpoch() + 1);
  EXPECT_NE(metrics.find("\nfibpool_uptime_seconds "), std::string::npos);
}

TEST_F(OperationsMetricsPort, StatusPageAndStatsJsonAreServedOnTheMetricsPort) {
  LineClient client(server().port());
  const std::uint16_t port = MetricsPort(client);
  const std::string page = HttpGet(port, "/");
  EXPECT_EQ(page.rfind("HTTP/1.0 200 OK", 0), 0u) << page.substr(0, 100);
  EXPECT_NE(page.find("Content-Type: text/html; charset=utf-8"), std::string::npos);
  EXPECT_EQ(BodyOf(page).rfind("<!DOCTYPE html>", 0), 0u);

  const std::string stats = HttpGet(port, "/stats.json");
  EXPECT_NE(stats.find("Content-Type: application/json"), std::string::npos);
  const auto json = boost::json::parse(BodyOf(stats)).as_object();
  EXPECT_EQ(WorkersOf(json).size(), 2u);
  EXPECT_EQ(json.at("version").as_string(), FIBPOOL_VERSION);
  EXPECT_EQ(json.at("settings").as_object().at("workers").to_number<int>(), 2);
  // The same content as `stats`: the same keys.
  const auto line = AskStats(client);
  EXPECT_EQ(line.size(), json.size());
  for (const auto& [key, value] : line) EXPECT_TRUE(json.contains(key)) << key;
}

TEST(Operations, StatsShowTheJobABusyWorkerRunsAndTheCpuItUsed) {
  ServerProcess server({"--workers", "1"});
  LineClient big(server.port());
  big.Send("50 recursive\n");
  LineClient client(server.port());
  boost::json::object busy;
  ASSERT_TRUE(WaitFor(
      [&] {
        const boost::json::object stats = AskStats(client);
        for (const auto& w : stats.at("workers").as_array()) {
          const auto& o = w.as_object();
          // Both observed: the worker's CPU also counts its start-up, so
          // CPU alone does not say how long the job has run.
          if (!o.at("job").is_null() && o.at("cpu_ms").to_number<std::int64_t>() > 50 &&
              o.at("job").at("running_ms").to_number<std::int64_t>() >= 50) {
            busy = o;
            return true;
          }
        }
        return false;
      },
      20s, 50ms));
  EXPECT_EQ(busy.at("state").as_string(), "busy");
  const auto& job = busy.at("job").as_object();
  EXPECT_EQ(job.at("n").to_number<int>(), 50);
  EXPECT_EQ(job.at("algorithm").as_string(), "recursive");
  EXPECT_GE(job.at("running_ms").to_number<std::int64_t>(), 50);
}

// Summed over both lanes' workers: the CPU time of their jobs (ms), and the
// largest peak resident size any of them reported.
struct WorkerCosts {
  std::int64_t job_cpu_ms = 0;
  std::uint64_t peak_rss_bytes = 0;
};
WorkerCosts CostsOf(const boost::json::object& stats) {
  WorkerCosts costs;
  for (const char* lane : {"workers", "reserve_workers"}) {
    for (const auto& w : stats.at(lane).as_array()) {
      costs.job_cpu_ms += w.at("job_cpu_ms").to_number<std::int64_t>();
      costs.peak_rss_bytes =
          std::max(costs.peak_rss_bytes, w.at("peak_rss_bytes").to_number<std::uint64_t>());
    }
  }
  return costs;
}

// F(n) mod 10^9 and its number of digits, without computing F(n) itself.
std::string LastNineDigits(std::uint64_t n) {
  std::uint64_t a = 0, b = 1;
  for (std::uint64_t i = 0; i < n; ++i) a = std::exchange(b, (a + b) % 1'000'000'000);
  std::string digits = std::to_string(a);
  return std::string(9 - digits.size(), '0') + digits;
}
std::size_t DigitCount(std::uint64_t n) {
  const double phi = (1 + std::sqrt(5.0)) / 2;
  return static_cast<std::size_t>(static_cast<double>(n) * std::log10(phi) -
                                  std::log10(std::sqrt(5.0))) +
         1;
}

TEST(Operations, EachJobsCpuTimeAndPeakRssReachTheHistogramsAndTheWorkersStats) {
  ServerProcess server({"--workers", "1", "--metrics-port", "0"});
  LineClient client(server.port());
  const std::uint16_t port = MetricsPort(client);
  const std::string series = "{algorithm=\"fast\",n_decade=\"1e6\"}";
  EXPECT_EQ(Sample(BodyOf(HttpGet(port, "/metrics")), "fibpool_job_cpu_seconds_count" + series),
            std::nullopt);
  const WorkerCosts before = CostsOf(AskStats(client));
  EXPECT_EQ(before.job_cpu_ms, 0);

  // F(2 * 10^6): about 30 ms of GMP work and 418 kB of digits.
  constexpr std::uint64_t kN = 2'000'000;
  const auto answer = client.Ask(std::to_string(kN), 30s);
  ASSERT_TRUE(answer);
  ASSERT_EQ(answer->size(), DigitCount(kN));
  EXPECT_EQ(answer->substr(answer->size() - 9), LastNineDigits(kN));

  const std::string metrics = BodyOf(HttpGet(port, "/metrics"));
  EXPECT_EQ(Sample(metrics, "fibpool_job_cpu_seconds_count" + series), 1.0);
  EXPECT_GT(Sample(metrics, "fibpool_job_cpu_seconds_sum" + series).value_or(0), 0.0);
  EXPECT_EQ(Sample(metrics, "fibpool_job_peak_rss_bytes_count" + series), 1.0);
  // The worker held at least the digits it wrote.
  EXPECT_GT(Sample(metrics, "fibpool_job_peak_rss_bytes_sum" + series).value_or(0),
            static_cast<double>(DigitCount(kN)));
  const WorkerCosts after_one = CostsOf(AskStats(client));
  EXPECT_GT(after_one.job_cpu_ms, 0);
  EXPECT_GT(after_one.peak_rss_bytes, DigitCount(kN));

  // A second job of the same decade: the count and the worker's sum move on.
  ASSERT_EQ(client.Ask(std::to_string(kN + 1), 30s)->size(), DigitCount(kN + 1));
  EXPECT_EQ(Sample(BodyOf(HttpGet(port, "/metrics")), "fibpool_job_cpu_seconds_count" + series),
            2.0);
  const WorkerCosts after_two = CostsOf(AskStats(client));
  EXPECT_GT(after_two.job_cpu_ms, after_one.job_cpu_ms);
  EXPECT_GE(after_two.peak_rss_bytes, after_one.peak_rss_bytes);
}

TEST(Operations, AnIdleHttpConnectionDoesNotDelayShutdown) {
  ServerProcess server({"--workers", "1", "--metrics-port", "0"});
  LineClient client(server.port());
  const std::uint16_t port = MetricsPort(client);
  LineClient idle(port);  // connected, sends nothing
  // Connections are accepted in order: once a later one is answered, the
  // idle one has been accepted too.
  ASSERT_NE(HttpGet(port, "/healthz").find(" 200 "), std::string::npos);
  server.Signal(SIGTERM);
  // Well within the 10 s an HTTP client has to send its request.
  EXPECT_EQ(server.WaitExit(3s), 0) << server.Log();
  EXPECT_TRUE(idle.WaitForClose(1s));
}

TEST(Operations, ConnectionsOverTheLimitGetBusyAndAreClosed) {
  ServerProcess server({"--workers", "1", "--max-connections", "2"});
  // Three addresses, one connection each: max_connections_per_client is 1.
  LineClient a(server.port());
  LineClient b(server.port(), "127.0.0.2");
  ASSERT_EQ(a.Ask("ping"), "pong");
  ASSERT_EQ(b.Ask("ping"), "pong");
  LineClient c(server.port(), "127.0.0.3");
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
  // F(42) by recursion: about 0.45 s here, and 12 s under TSan (F(43) took
  // 19 s there, too close to the wait below).
  LineClient waiting(server.port());
  EXPECT_EQ(waiting.Ask("42 recursive", 20s), "267914296");
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
