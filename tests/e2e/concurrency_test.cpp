// Many clients at once, clients that vanish, and the descriptors fibpool
// holds for them, against the real binaries. (Half-closed clients:
// Hostile.HalfClosedClientsStillGetEveryAnswer.)
#include <signal.h>

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/fib_by_addition.h"
#include "tests/support/fib_reference.h"
#include "tests/support/line_client.h"
#include "tests/support/pool_state.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"
#include "tests/support/wait.h"

namespace fibpool::testing {
namespace {

using std::chrono::seconds;

TEST(Concurrency, FiftyClientsAtOnceAllGetCorrectAnswers) {
  constexpr int kClients = 50;
  constexpr int kRequests = 20;
  const std::vector<std::string> table = FibTableByAddition(1000);
  ServerProcess server({"--workers", "2"});
  std::atomic<int> correct = 0;
  std::vector<std::string> failures(kClients);
  {
    std::vector<std::jthread> threads;
    for (int c = 0; c < kClients; ++c) {
      threads.emplace_back([&, c] {
        try {
          LineClient client(server.port());
          for (int i = 0; i < kRequests; ++i) {
            const int n = (c * 131 + i * 17) % 1000;
            const std::string line = (i % 4 == 0 ? "fib " : "") + std::to_string(n) +
                                     (n <= 25 && i % 2 ? " recursive" : "");
            const auto answer = client.Ask(line);
            if (answer == table[n]) {
              ++correct;
            } else if (failures[c].empty()) {
              failures[c] = "'" + line + "' -> '" + answer.value_or("<none>") + "'";
            }
          }
        } catch (const std::exception& e) {
          failures[c] = e.what();
        }
      });
    }
  }  // joined
  for (int c = 0; c < kClients; ++c) EXPECT_EQ(failures[c], "") << "client " << c;
  EXPECT_EQ(correct.load(), kClients * kRequests);
  LineClient client(server.port());
  const auto stats = AskStats(client);
  EXPECT_EQ(Counter(stats, "connections_total"), kClients + 1u);
  EXPECT_EQ(Counter(stats, "results"), static_cast<std::uint64_t>(kClients * kRequests));
}

TEST(Concurrency, PipelinedClientsInParallelEachGetTheirOwnAnswersInOrder) {
  constexpr int kClients = 8;
  constexpr int kRequests = 100;
  const std::vector<std::string> table = FibTableByAddition(500);
  ServerProcess server({"--workers", "2"});
  std::vector<std::unique_ptr<LineClient>> clients;
  for (int c = 0; c < kClients; ++c) clients.push_back(std::make_unique<LineClient>(server.port()));
  // Every client's requests are in flight before any answer is read, so
  // their jobs share the pool.
  for (int c = 0; c < kClients; ++c) {
    std::string request;
    for (int i = 0; i < kRequests; ++i) request += std::to_string((c * 61 + i * 7) % 500) + "\n";
    clients[c]->Send(request);
  }
  for (int c = 0; c < kClients; ++c) {
    for (int i = 0; i < kRequests; ++i) {
      ASSERT_EQ(clients[c]->ReadLine(), table[(c * 61 + i * 7) % 500])
          << "client " << c << " request " << i;
    }
  }
}

TEST(Concurrency, ClientsThatVanishDoNotDisturbOthers) {
  ServerProcess server({"--workers", "2"});
  LineClient steady(server.port());
  for (int i = 0; i < 20; ++i) {
    LineClient gone(server.port());
    gone.Send("38 recursive\n1000\n5\n");
    if (i % 2) {
      gone.Reset();  // RST with jobs in flight
    }                // else: FIN from the destructor
    EXPECT_EQ(steady.Ask(std::to_string(i)), FibReference(i));
  }
  EXPECT_EQ(steady.Ask("40 recursive"), "102334155");
  // The abandoned jobs are dropped or finished: the pool drains to idle.
  EXPECT_TRUE(WaitFor(
      [&] {
        const auto stats = AskStats(steady);
        return Counter(stats, "jobs_pending") == 0 && Counter(stats, "connections_open") == 1;
      },
      seconds(20)));
}

TEST(Concurrency, PipelinedJobsRunOnTwoWorkersAtOnce) {
  ServerProcess server({"--workers", "2"});
  LineClient client(server.port());
  LineClient observer(server.port());
  client.Send("42 recursive\n42 recursive\n");
  // The first worker seen busy is stopped (SIGSTOP) until the second is
  // seen too: its job cannot end first, however fast the machine.
  const auto first = WaitForBusyWorker(observer);
  ASSERT_TRUE(first) << "no job ran";
  ASSERT_EQ(::kill(first->pid, SIGSTOP), 0);
  std::set<pid_t> busy_pids;
  std::set<std::uint64_t> busy_jobs;
  const bool both_busy = WaitFor(
      [&] {
        const auto busy = BusyWorkers(AskStats(observer));
        if (busy.size() != 2) return false;
        for (const auto& w : busy) {
          busy_pids.insert(w.pid);
          if (w.current_job) busy_jobs.insert(*w.current_job);
        }
        return true;
      },
      seconds(20));
  ASSERT_EQ(::kill(first->pid, SIGCONT), 0);
  EXPECT_TRUE(both_busy) << "never saw two busy workers at the same time";
  EXPECT_EQ(busy_pids.size(), 2u);
  EXPECT_EQ(busy_jobs.size(), 2u);  // two different jobs, one per worker
  EXPECT_EQ(client.ReadLine(), "267914296");
  EXPECT_EQ(client.ReadLine(), "267914296");
}

TEST(Concurrency, SlowRequestDoesNotDelayOtherConnections) {
  ServerProcess server({"--workers", "2"});
  LineClient slow(server.port());
  LineClient fast(server.port());
  slow.Send("50 recursive\n");  // about 15 s: occupies one worker for the whole test
  LineClient observer(server.port());
  ASSERT_TRUE(WaitFor([&] { return BusyWorkers(AskStats(observer)).size() == 1; }, seconds(20)));
  // The other worker serves other clients meanwhile.
  EXPECT_EQ(fast.Ask("30"), "832040");
  EXPECT_EQ(fast.Ask("25 recursive"), "75025");
  EXPECT_EQ(slow.ReadLine(std::chrono::milliseconds(0)), std::nullopt);
}

// fibpool's own descriptors (its /proc/PID/fd), counted with one idle
// connection open before and after a hundred clients came and went.
TEST(Concurrency, ClientsThatCameAndWentLeaveNoDescriptorOpenInTheSupervisor) {
  ServerProcess server({"--workers", "1"});
  LineClient observer(server.port());
  ASSERT_EQ(observer.Ask("30"), "832040");  // every lane and buffer in use once
  ASSERT_TRUE(WaitFor([&] { return PoolIsWhole(observer, 1); }, seconds(10)));
  const std::size_t before = FdTargets(server.pid()).size();
  ASSERT_GT(before, 0u) << "cannot read /proc/" << server.pid() << "/fd";
  {
    // The count sees connections: ten open at once are ten more descriptors.
    std::vector<std::unique_ptr<LineClient>> open;
    for (int i = 0; i < 10; ++i) {
      open.push_back(std::make_unique<LineClient>(server.port()));
      ASSERT_EQ(open.back()->Ask("ping"), "pong");
    }
    EXPECT_GE(FdTargets(server.pid()).size(), before + 10);
  }
  for (int i = 0; i < 100; ++i) {
    LineClient client(server.port());
    ASSERT_EQ(client.Ask(i % 2 ? "ping" : std::to_string(i)), i % 2 ? "pong" : FibReference(i));
    if (i % 3 == 0) client.Reset();  // RST; the others close with FIN
  }
  std::size_t after = 0;
  EXPECT_TRUE(WaitFor(
      [&] {
        after = FdTargets(server.pid()).size();
        return after == before;
      },
      seconds(10)))
      << "fibpool holds " << after << " descriptors, " << before << " before";
  EXPECT_EQ(Counter(AskStats(observer), "connections_open"), 1u);
}

}  // namespace
}  // namespace fibpool::testing
