// Signals the supervisor does not use for anything, against the real
// binaries: each is logged and ignored, serving goes on, and SIGTERM still
// drains to a clean exit. SIGQUIT drains like SIGTERM.
#include <signal.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/line_client.h"
#include "tests/support/log_lines.h"
#include "tests/support/server_process.h"
#include "tests/support/wait.h"

namespace fibpool::testing {
namespace {

using namespace std::chrono_literals;

// Waits until the log has a line holding `needle`; that line, or empty.
std::string WaitForLogLine(const ServerProcess& server, const std::string& needle) {
  std::string line;
  WaitFor(
      [&] {
        line = LogLineWith(server.Log(), needle);
        return !line.empty();
      },
      10s);
  return line;
}

TEST(Signals, Usr1IsLoggedAndIgnoredAndSigtermStillExitsCleanly) {
  ServerProcess server({"--workers", "1"});
  LineClient client(server.port());
  ASSERT_EQ(client.Ask("30"), "832040");
  const std::vector<pid_t> workers = server.WorkerPids();

  server.Signal(SIGUSR1);
  const std::string usr1 = WaitForLogLine(server, "event=signal_ignored signal=SIGUSR1 ");
  EXPECT_FALSE(usr1.empty()) << server.Log();
  EXPECT_EQ(client.Ask("30"), "832040");

  LineClient another(server.port());
  EXPECT_EQ(another.Ask("30"), "832040");
  EXPECT_EQ(server.WorkerPids().size(), workers.size());

  const pid_t pid = server.pid();
  server.Signal(SIGTERM);
  EXPECT_EQ(server.WaitExit(10s), 0) << server.Log();
  EXPECT_TRUE(SegmentsOf(pid).empty());
  for (const pid_t w : workers) EXPECT_TRUE(WaitFor([&] { return !ProcessAlive(w); }, 5s)) << w;
}

TEST(Signals, Usr1ToTheWholeProcessGroupKillsNoWorker) {
  ServerProcess server({"--workers", "2"}, {}, /*own_process_group=*/true);
  LineClient client(server.port());
  ASSERT_EQ(client.Ask("30"), "832040");
  const std::vector<pid_t> workers = server.WorkerPids();
  ASSERT_EQ(::kill(-server.pid(), SIGUSR1), 0);
  EXPECT_FALSE(WaitForLogLine(server, "event=signal_ignored signal=SIGUSR1 ").empty());
  EXPECT_EQ(client.Ask("30"), "832040");
  for (const pid_t w : workers) EXPECT_TRUE(ProcessAlive(w)) << w;
  EXPECT_EQ(LogLineWith(server.Log(), "event=worker_died"), "") << server.Log();
}

TEST(Signals, SigquitDrainsLikeSigterm) {
  ServerProcess server({"--workers", "1"});
  LineClient client(server.port());
  ASSERT_EQ(client.Ask("30"), "832040");
  const pid_t pid = server.pid();
  server.Signal(SIGQUIT);
  EXPECT_EQ(server.WaitExit(10s), 0) << server.Log();
  EXPECT_FALSE(LogLineWith(server.Log(), "event=drain signal=SIGQUIT").empty()) << server.Log();
  EXPECT_TRUE(SegmentsOf(pid).empty());
}

}  // namespace
}  // namespace fibpool::testing
