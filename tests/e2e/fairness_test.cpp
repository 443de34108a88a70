// Fair queuing across clients against the real binaries: one client's
// backlog must not hold another client's job behind it. Clients are told
// apart by address: A connects from 127.0.0.1, B from 127.0.0.2.
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/fib_reference.h"
#include "tests/support/line_client.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"
#include "tests/support/wait.h"

namespace fibpool::testing {
namespace {

using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kN = 10'000'000;  // F(10^7): about 0.25 s of one core

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

TEST(Fairness, OneJobOfASecondClientIsNotQueuedBehindAnotherClientsBacklog) {
  const std::string expected = FibReference(kN);
  const std::string job = std::to_string(kN);
  ServerProcess server({"--workers", "2"});
  LineClient b(server.port(), "127.0.0.2");

  // B's own service time with both workers busy, as they will be behind A
  // (on a shared machine two jobs at once each run slower than one alone):
  // B's job beside one of C's, the median of three.
  LineClient c(server.port(), "127.0.0.3");
  std::vector<double> beside;
  for (int i = 0; i < 3; ++i) {
    c.Send(job + "\n");
    const auto start = Clock::now();
    const auto answer = b.Ask(job, seconds(60));
    beside.push_back(SecondsSince(start));
    ASSERT_EQ(answer, expected);
    ASSERT_EQ(c.ReadLine(seconds(60)), expected);
  }
  std::sort(beside.begin(), beside.end());
  const double service = beside[1];

  // A: 20 such jobs over two connections from its one address.
  LineClient a1(server.port());
  LineClient a2(server.port());
  std::string ten;
  for (int i = 0; i < 10; ++i) ten += job + "\n";
  a1.Send(ten);
  a2.Send(ten);
  LineClient observer(server.port(), "127.0.0.4");
  boost::json::object stats;
  ASSERT_TRUE(WaitFor(
      [&] {
        stats = AskStats(observer);
        return BusyWorkers(stats).size() == 2 && Counter(stats, "backlog") >= 15;
      },
      seconds(30)))
      << "A's jobs never filled the pool: " << boost::json::serialize(stats);
  // Its waiting jobs are A's, one flow for both connections.
  const auto& flows = stats.at("flows").as_array();
  ASSERT_EQ(flows.size(), 1u) << boost::json::serialize(stats);
  EXPECT_EQ(flows[0].at("flow").as_string(), "127.0.0.1");
  EXPECT_EQ(flows[0].at("queued").to_number<std::uint64_t>(), Counter(stats, "backlog"));

  const auto start = Clock::now();
  const auto answer = b.Ask(job, seconds(60));
  const double waited = SecondsSince(start);
  ASSERT_EQ(answer, expected);
  EXPECT_LE(waited, 2.5 * service)
      << "B beside C: " << service << " s; behind A: " << waited << " s";
}

}  // namespace
}  // namespace fibpool::testing
