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

  // A: 30 such jobs over two connections from its one address, enough to keep
  // a backlog through all three of B's requests below.
  LineClient a1(server.port());
  LineClient a2(server.port());
  std::string fifteen;
  for (int i = 0; i < 15; ++i) fifteen += job + "\n";
  a1.Send(fifteen);
  a2.Send(fifteen);
  LineClient observer(server.port(), "127.0.0.4");
  boost::json::object stats;
  ASSERT_TRUE(WaitFor(
      [&] {
        stats = AskStats(observer);
        return BusyWorkers(stats).size() == 2 && Counter(stats, "backlog") >= 25;
      },
      seconds(30)))
      << "A's jobs never filled the pool: " << boost::json::serialize(stats);
  // Its waiting jobs are A's, one flow for both connections.
  const auto& flows = stats.at("flows").as_array();
  ASSERT_EQ(flows.size(), 1u) << boost::json::serialize(stats);
  EXPECT_EQ(flows[0].at("flow").as_string(), "127.0.0.1");
  EXPECT_EQ(flows[0].at("queued").to_number<std::uint64_t>(), Counter(stats, "backlog"));

  // B asks three times while A's backlog stands; each request waits for at
  // most the rest of one running job of A's, then runs. The median of three
  // keeps one slow moment of a shared machine from deciding the outcome; in
  // first-in-first-out order each would wait for A's whole backlog instead.
  std::vector<double> behind;
  for (int i = 0; i < 3; ++i) {
    stats = AskStats(observer);
    ASSERT_GE(Counter(stats, "backlog"), 4u)
        << "A's backlog ran out before B's request " << i;
    const auto start = Clock::now();
    const auto answer = b.Ask(job, seconds(60));
    behind.push_back(SecondsSince(start));
    ASSERT_EQ(answer, expected);
  }
  std::sort(behind.begin(), behind.end());
  EXPECT_LE(behind[1], 2.5 * service)
      << "B beside C: " << service << " s; behind A: " << behind[0] << ", " << behind[1]
      << ", " << behind[2] << " s";
}

}  // namespace
}  // namespace fibpool::testing
