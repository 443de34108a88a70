// Connection slots and backlog places shared between client addresses,
// against the real binaries (supervisor/net/connection_quota.h,
// supervisor/sched/backlog_admission.h): one address that takes all it can
// leaves another address answered. Clients are told apart by their loopback
// source address (127.0.0.1, 127.0.0.2, ...) or by their PROXY header.
#include <signal.h>

#include <chrono>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/line_client.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"
#include "tests/support/wait.h"

namespace fibpool::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kPerClientRefusal[] =
    "ERR busy too many connections from your address; try again later";
constexpr char kFullRefusal[] = "ERR busy too many connections; try again later";
// A big job (cost_model.h): the main lane holds one per free worker, the
// rest wait in the backlog.
constexpr char kBacklogJob[] = "38 recursive";
constexpr char kBacklogAnswer[] = "39088169";
constexpr char kFlowShareRefusal[] =
    "ERR busy your address has too many waiting jobs; try again later";

// Connections from `source` until `tries`: those answered `pong` are kept,
// each other one must be the per-address refusal and be closed.
std::vector<std::unique_ptr<LineClient>> OpenAll(std::uint16_t port, const std::string& source,
                                                 int tries, const std::string& header = {}) {
  std::vector<std::unique_ptr<LineClient>> kept;
  for (int i = 0; i < tries; ++i) {
    auto client = std::make_unique<LineClient>(port, source);
    if (!header.empty()) client->Send(header);
    const auto answer = client->Ask("ping", seconds(10));
    if (answer == "pong") {
      kept.push_back(std::move(client));
      continue;
    }
    EXPECT_EQ(answer, kPerClientRefusal) << "connection " << i;
    EXPECT_TRUE(client->WaitForClose()) << "connection " << i;
  }
  return kept;
}

TEST(ClientLimits, OneAddressTakingEveryConnectionItCanLeavesAnotherAddressAnswered) {
  // max_connections_per_client: a quarter of 50, rounded up: 13.
  ServerProcess server({"--workers", "1", "--max-connections", "50"});
  const auto a = OpenAll(server.port(), "127.0.0.1", 60);
  EXPECT_EQ(a.size(), 13u);
  LineClient b(server.port(), "127.0.0.2");
  EXPECT_EQ(b.Ask("10"), "55");
  const auto stats = AskStats(b);
  EXPECT_EQ(Counter(stats, "busy", "connections_per_client"), 47u);
  EXPECT_EQ(Counter(stats, "connections_refused"), 47u);
  EXPECT_EQ(Counter(stats, "settings", "max_connections_per_client"), 13u);
  // Every refusal is accounted for in the log, the held-back ones too, in
  // lines of their own once the burst is over: the lines that name one
  // refusal, plus every suppressed=N, make 47.
  std::uint64_t accounted = 0;
  EXPECT_TRUE(WaitFor(
      [&] {
        accounted = 0;
        std::istringstream log(server.Log());
        for (std::string line; std::getline(log, line);) {
          if (line.find("event=connection_refused") == std::string::npos) continue;
          if (line.find(" reason=connections_per_client peer=127.0.0.1 ") != std::string::npos) {
            ++accounted;
          }
          const auto at = line.find("suppressed=");
          if (at != std::string::npos) accounted += std::stoull(line.substr(at + 11));
        }
        return accounted == 47;
      },
      seconds(10)))
      << accounted << "\n"
      << server.Log();
}

TEST(ClientLimits, AtMaxConnectionsAnIdleConnectionOfTheHeaviestAddressMakesRoom) {
  ServerProcess server(
      {"--workers", "1", "--max-connections", "4", "--max-connections-per-client", "4"});
  const auto a = OpenAll(server.port(), "127.0.0.1", 4);
  ASSERT_EQ(a.size(), 4u);
  LineClient b(server.port(), "127.0.0.2");
  EXPECT_EQ(b.Ask("10"), "55");
  // Exactly one of A's idle connections is closed for B.
  std::vector<bool> closed(a.size(), false);
  const auto closed_count = [&] {
    std::size_t n = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!closed[i]) closed[i] = a[i]->WaitForClose(milliseconds(20));
      n += closed[i] ? 1 : 0;
    }
    return n;
  };
  ASSERT_TRUE(WaitFor([&] { return closed_count() == 1; }, seconds(10)));
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (closed[i]) continue;
    EXPECT_EQ(a[i]->Ask("ping"), "pong") << "connection " << i;
  }
  const auto stats = AskStats(b);
  EXPECT_EQ(Counter(stats, "connections_evicted"), 1u);
  EXPECT_EQ(Counter(stats, "connections_refused"), 0u);
}

TEST(ClientLimits, AtMaxConnectionsWithNoIdleConnectionTheNewcomerIsRefused) {
  ServerProcess server({"--workers", "1", "--reserve-workers", "0", "--max-connections", "4",
                        "--max-connections-per-client", "4"});
  LineClient observer(server.port(), "127.0.0.3");
  // The one worker is held: every job A sends stays unanswered.
  const pid_t worker = WorkersOf(AskStats(observer)).front().pid;
  ASSERT_EQ(::kill(worker, SIGSTOP), 0);
  std::vector<std::unique_ptr<LineClient>> a;
  for (int i = 0; i < 3; ++i) {
    a.push_back(std::make_unique<LineClient>(server.port()));
    a.back()->Send("30\n");
  }
  ASSERT_TRUE(
      WaitFor([&] { return Counter(AskStats(observer), "jobs_pending") == 3; }, seconds(10)));
  LineClient b(server.port(), "127.0.0.2");
  EXPECT_EQ(b.ReadLine(seconds(10)), kFullRefusal);
  EXPECT_TRUE(b.WaitForClose());
  ASSERT_EQ(::kill(worker, SIGCONT), 0);
  for (auto& client : a) EXPECT_EQ(client->ReadLine(seconds(30)), "832040");
  EXPECT_EQ(Counter(AskStats(observer), "busy", "connections"), 1u);
}

TEST(ClientLimits, WithProxyProtocolTheHeadersAddressCountsNotTheProxys) {
  ServerProcess server({"--workers", "1", "--proxy-protocol", "true", "--max-connections", "20",
                        "--max-connections-per-client", "2"});
  // Every connection comes from 127.0.0.1, the proxy; the headers name two clients.
  const std::string from_one = "PROXY TCP4 10.0.0.1 10.0.0.9 40000 25000\r\n";
  const std::string from_two = "PROXY TCP4 10.0.0.2 10.0.0.9 40001 25000\r\n";
  const auto one = OpenAll(server.port(), "127.0.0.1", 3, from_one);
  EXPECT_EQ(one.size(), 2u);
  const auto two = OpenAll(server.port(), "127.0.0.1", 2, from_two);
  EXPECT_EQ(two.size(), 2u);
  EXPECT_EQ(two.front()->Ask("10"), "55");
  EXPECT_EQ(Counter(AskStats(*two.back()), "busy", "connections_per_client"), 1u);
  EXPECT_NE(server.Log().find("reason=connections_per_client peer=10.0.0.1"), std::string::npos)
      << server.Log();
}

// The body of GET /metrics on `port`.
std::string Metrics(std::uint16_t port) {
  LineClient http(port);
  http.Send("GET /metrics HTTP/1.0\r\n\r\n");
  std::string body;
  while (auto line = http.ReadLine(seconds(10))) body += *line + "\n";
  return body;
}

TEST(ClientLimits, AClientFillingTheBacklogLeavesRoomForAnotherClientsJob) {
  ServerProcess server({"--workers", "1", "--reserve-workers", "0", "--max-backlog", "5",
                        "--metrics-port", "0", "--job-timeout", "300"});
  LineClient observer(server.port(), "127.0.0.3");
  const auto metrics_port =
      static_cast<std::uint16_t>(AskStats(observer).at("metrics_port").as_int64());
  // The one worker is held busy (stopped inside a long job): every job of A
  // waits in the backlog however fast the machine.
  LineClient holder(server.port(), "127.0.0.4");
  holder.Send("42 recursive\n");
  pid_t worker = 0;
  ASSERT_TRUE(WaitFor(
      [&] {
        const auto busy = BusyWorkers(AskStats(observer));
        if (!busy.empty()) worker = busy.front().pid;
        return worker != 0;
      },
      seconds(10)));
  ASSERT_EQ(::kill(worker, SIGSTOP), 0);

  // A: 12 jobs over two connections from one address: five in the backlog,
  // the rest refused.
  constexpr int kJobsOfA = 12;
  LineClient a1(server.port());
  LineClient a2(server.port());
  std::string half;
  for (int i = 0; i < kJobsOfA / 2; ++i) half += std::string(kBacklogJob) + "\n";
  a1.Send(half);
  a2.Send(half);
  ASSERT_TRUE(
      WaitFor([&] { return Counter(AskStats(observer), "busy", "flow_share") == kJobsOfA - 5; },
              seconds(10)));
  ASSERT_EQ(Counter(AskStats(observer), "backlog"), 5u);

  // B's single job gets in, in the place of A's last one.
  LineClient b(server.port(), "127.0.0.2");
  b.Send(std::string(kBacklogJob) + "\n");
  ASSERT_TRUE(
      WaitFor([&] { return Counter(AskStats(observer), "busy", "flow_share") == kJobsOfA - 4; },
              seconds(10)));
  ASSERT_EQ(::kill(worker, SIGCONT), 0);
  EXPECT_EQ(holder.ReadLine(seconds(120)), "267914296");
  EXPECT_EQ(b.ReadLine(seconds(60)), kBacklogAnswer);

  int answered = 0;
  int refused = 0;
  for (LineClient* a : {&a1, &a2}) {
    for (int i = 0; i < kJobsOfA / 2; ++i) {
      const auto answer = a->ReadLine(seconds(60));
      ASSERT_TRUE(answer) << "A's request " << i;
      if (*answer == kBacklogAnswer) {
        ++answered;
      } else {
        EXPECT_EQ(*answer, kFlowShareRefusal);
        ++refused;
      }
    }
  }
  EXPECT_EQ(answered, 4);  // the backlog's five, less the one B's job replaced
  EXPECT_EQ(refused, kJobsOfA - 4);
  const std::string metrics = Metrics(metrics_port);
  EXPECT_NE(metrics.find("fibpool_busy_total{reason=\"flow_share\"} 8\n"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("fibpool_busy_total{reason=\"backlog_full\"} 0\n"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("fibpool_busy_total{reason=\"max_wait\"} 0\n"), std::string::npos)
      << metrics;
}

TEST(ClientLimits, ABacklogSharedEvenlyIsFullForEveryone) {
  ServerProcess server({"--workers", "1", "--reserve-workers", "0", "--max-backlog", "2"});
  LineClient observer(server.port(), "127.0.0.9");
  const pid_t worker = WorkersOf(AskStats(observer)).front().pid;
  ASSERT_EQ(::kill(worker, SIGSTOP), 0);
  // One job in the worker's queue, then one waiting job from each of two addresses.
  LineClient first(server.port(), "127.0.0.2");
  first.Send(std::string(kBacklogJob) + "\n");
  ASSERT_TRUE(
      WaitFor([&] { return Counter(AskStats(observer), "queue_depth") == 1; }, seconds(10)));
  LineClient a(server.port(), "127.0.0.3");
  LineClient b(server.port(), "127.0.0.4");
  a.Send(std::string(kBacklogJob) + "\n");
  b.Send(std::string(kBacklogJob) + "\n");
  ASSERT_TRUE(WaitFor([&] { return Counter(AskStats(observer), "backlog") == 2; }, seconds(10)));
  LineClient c(server.port(), "127.0.0.5");
  EXPECT_EQ(c.Ask(kBacklogJob), "ERR busy the backlog is full; try again later");
  EXPECT_EQ(Counter(AskStats(observer), "busy", "backlog_full"), 1u);
  ASSERT_EQ(::kill(worker, SIGCONT), 0);
  for (LineClient* client : {&first, &a, &b}) EXPECT_EQ(client->ReadLine(seconds(60)), kBacklogAnswer);
}

}  // namespace
}  // namespace fibpool::testing
