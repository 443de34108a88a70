// Several I/O threads (io_threads > 1): many connections open, pipeline and
// go away across the threads while workers are killed, and every answer
// read is the right one, in order; nothing is held afterwards, and a drain
// ends cleanly. (The whole end-to-end suite also runs with
// FIBPOOL_TEST_IO_THREADS=N; scripts/tsan runs it under ThreadSanitizer.)
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/client_threads.h"
#include "tests/support/fib_reference.h"
#include "tests/support/line_client.h"
#include "tests/support/pool_state.h"
#include "tests/support/sanitizer.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"
#include "tests/support/wait.h"
#include "tests/support/worker_kills.h"

namespace fibpool::testing {
namespace {

using namespace std::chrono_literals;

// Clients that each open a connection after another, pipeline a burst of
// requests, and then either read every answer or reset the connection
// half-way (their jobs abandoned), until told to stop.
class Churn {
 public:
  static constexpr int kBurst = 16;

  Churn(std::uint16_t port, int clients)
      : threads_(clients, [this, port](int c) {
          for (int round = 0; !threads_.stopping(); ++round) {
            LineClient client(port);
            std::string burst;
            std::vector<std::uint64_t> ns;
            for (int i = 0; i < kBurst; ++i) {
              // Mostly tiny jobs, one in eight big enough to be running when
              // a worker is killed.
              const std::uint64_t n =
                  i % 8 == 7 ? 26 : static_cast<std::uint64_t>(c * 7 + round + i) % 90;
              ns.push_back(n);
              burst += std::to_string(n) + (n == 26 ? " recursive\n" : "\n");
            }
            client.Send(burst);
            const bool leave_early = round % 4 == 3;
            const int to_read = leave_early ? kBurst / 2 : kBurst;
            for (int i = 0; i < to_read; ++i) {
              if (!tally_.Check(client.ReadLine(60s), FibReference(ns[i]), true)) break;
            }
            if (leave_early) {
              client.Reset();
              ++left_;
            }
          }
        }) {}
  void Stop() { threads_.Stop(); }
  std::uint64_t answered() const { return tally_.answered; }
  std::uint64_t lost() const { return tally_.lost; }
  std::uint64_t wrong() const { return tally_.wrong; }
  std::uint64_t left() const { return left_; }

 private:
  AnswerTally tally_;
  std::atomic<std::uint64_t> left_{0};
  ClientThreads threads_;  // last: its threads stop before the tally goes
};

TEST(IoThreads, ConnectionsChurningAcrossThreadsWhileWorkersDieGetEveryAnswerInOrder) {
  ServerProcess server({"--workers", "2", "--io-threads", "4"});
  ASSERT_NE(server.Log().find("io_threads=4"), std::string::npos) << server.Log();
  const auto connections_before = [&] {
    LineClient observer(server.port());
    return Counter(AskStats(observer), "connections_total");
  }();
  std::uint64_t answered_under_kills = 0;
  {
    Churn churn(server.port(), 12);
    // At least kMinKills deaths under load make it a test of recovery. Under
    // TSan a new worker needs longer to answer its first job (faults_test.cpp).
    constexpr int kMinKills = 5;
    const int kills = KillWorkersUnderLoad(
        server, [&] { return churn.answered(); },
        {.pause = kThreadSanitized ? 500ms : 100ms, .kills = 30, .deadline = 30s}, 7);
    answered_under_kills = churn.answered();
    churn.Stop();
    EXPECT_GE(kills, kMinKills);
    EXPECT_GT(churn.left(), 0u);
    EXPECT_EQ(churn.lost(), 0u);
    EXPECT_EQ(churn.wrong(), 0u);
  }
  EXPECT_GT(answered_under_kills, 0u);

  LineClient observer(server.port());
  EXPECT_TRUE(WaitFor([&] { return PoolIsWhole(observer, 2); }, 15s));
  // Every connection but the observer's closed, and the abandoned jobs are
  // gone from the pool.
  EXPECT_TRUE(WaitFor(
      [&] {
        const auto stats = AskStats(observer);
        return Counter(stats, "connections_open") == 1 && Counter(stats, "jobs_pending") == 0;
      },
      15s));
  const auto stats = AskStats(observer);
  EXPECT_GT(Counter(stats, "connections_total"), connections_before + 12);
  EXPECT_GT(Counter(stats, "jobs_cancelled"), 0u);
  EXPECT_EQ(observer.Ask("90"), FibReference(90));

  const std::vector<pid_t> workers = server.WorkerPids();
  server.Signal(SIGTERM);
  EXPECT_TRUE(observer.WaitForClose());
  EXPECT_EQ(server.WaitExit(15s), 0);
  for (pid_t w : workers) EXPECT_FALSE(ProcessAlive(w)) << "worker " << w << " outlived fibpool";
  EXPECT_TRUE(SegmentsOf(server.pid()).empty());
}

// A drain with requests in flight on every I/O thread: each one read before
// SIGTERM is answered, then the connections close and fibpool exits 0.
TEST(IoThreads, DrainAnswersWhatEveryThreadHasReadThenExitsZero) {
  ServerProcess server({"--workers", "2", "--io-threads", "3"});
  std::vector<std::unique_ptr<LineClient>> clients;
  for (int i = 0; i < 6; ++i) {
    clients.push_back(std::make_unique<LineClient>(server.port()));
    clients.back()->Send("27 recursive\n" + std::to_string(40 + i) + "\n");
  }
  // Every connection's requests have been read: the pool counts them.
  LineClient observer(server.port());
  ASSERT_TRUE(WaitFor([&] { return Counter(AskStats(observer), "requests") >= 12 + 1; }, 15s));
  server.Signal(SIGTERM);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(clients[i]->ReadLine(), FibReference(27)) << "connection " << i;
    EXPECT_EQ(clients[i]->ReadLine(), FibReference(40 + i)) << "connection " << i;
    EXPECT_TRUE(clients[i]->WaitForClose());
  }
  EXPECT_EQ(server.WaitExit(15s), 0);
  EXPECT_TRUE(SegmentsOf(server.pid()).empty());
}

}  // namespace
}  // namespace fibpool::testing
