// fibpool on listening sockets handed over by systemd's socket activation
// protocol: the test plays systemd (tests/support/activated_fibpool.h), and
// Debian's systemd-socket-activate does it for real where it is installed.
#include <spawn.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/activated_fibpool.h"
#include "tests/support/client_threads.h"
#include "tests/support/exit_status.h"
#include "tests/support/line_client.h"
#include "tests/support/wait.h"

extern char** environ;

namespace fibpool::testing {
namespace {

using namespace std::chrono_literals;

// A new connection asks `30`; false when the connection is refused.
bool AskOnNewConnection(std::uint16_t port, AnswerTally& tally) {
  try {
    LineClient client(port);
    tally.Check(client.Ask("30", 60s), "832040", false);
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

TEST(SocketActivation, ServesOnTheSocketHandedOverInsteadOfBinding) {
  ListeningSocket socket;
  // The port setting is not used for a socket handed over.
  ActivatedFibpool fibpool({{socket.fd(), "line"}}, {"--workers", "1", "--port", "1"});
  LineClient client(socket.port());
  EXPECT_EQ(client.Ask("30", 60s), "832040");
  ASSERT_TRUE(fibpool.WaitReady(10s)) << fibpool.Log();
  EXPECT_NE(fibpool.Log().find("address=127.0.0.1:" + std::to_string(socket.port())),
            std::string::npos)
      << fibpool.Log();
  ::kill(fibpool.pid(), SIGTERM);
  EXPECT_EQ(fibpool.WaitExit(30s), 0) << fibpool.Log();
}

TEST(SocketActivation, MetricsAndAgentSocketsAreTakenByName) {
  ListeningSocket line, metrics, agent;
  ActivatedFibpool fibpool({{agent.fd(), "agent"}, {line.fd(), "line"}, {metrics.fd(), "metrics"}},
                           {"--workers", "1"});
  LineClient client(line.port());
  EXPECT_EQ(client.Ask("10", 60s), "55");
  LineClient checker(agent.port());
  EXPECT_EQ(checker.ReadLine(10s).value_or("").rfind("up ready ", 0), 0u);
  LineClient http(metrics.port());
  http.Send("GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_EQ(http.ReadLine(10s).value_or(""), "HTTP/1.0 200 OK\r");
  ::kill(fibpool.pid(), SIGTERM);
  EXPECT_EQ(fibpool.WaitExit(30s), 0) << fibpool.Log();
}

TEST(SocketActivation, ARestartOnTheSameSocketRefusesNoOne) {
  ListeningSocket socket;
  AnswerTally tally;
  std::atomic<int> refused{0};
  auto first = std::make_unique<ActivatedFibpool>(
      std::vector<supervisor::HandedListener>{{socket.fd(), "line"}},
      std::vector<std::string>{"--workers", "1"});
  ASSERT_TRUE(first->WaitReady(30s)) << first->Log();
  {
    ClientThreads clients(2, [&](int) {
      while (!clients.stopping()) {
        if (!AskOnNewConnection(socket.port(), tally)) ++refused;
      }
    });
    ASSERT_TRUE(WaitFor([&] { return tally.answered >= 20; }, 30s));
    ::kill(first->pid(), SIGTERM);
    ASSERT_EQ(first->WaitExit(30s), 0) << first->Log();
    // No fibpool now: this client waits in the kernel's listen backlog.
    LineClient between(socket.port());
    between.Send("30\n");
    const std::uint64_t before_second = tally.answered;
    ActivatedFibpool second({{socket.fd(), "line"}}, {"--workers", "1"});
    EXPECT_EQ(between.ReadLine(60s), "832040");
    EXPECT_TRUE(WaitFor([&] { return tally.answered >= before_second + 20; }, 30s));
    clients.Stop();
    ::kill(second.pid(), SIGTERM);
    EXPECT_EQ(second.WaitExit(30s), 0) << second.Log();
  }
  EXPECT_EQ(refused, 0);
  EXPECT_EQ(tally.lost, 0u);
  EXPECT_EQ(tally.wrong, 0u);
}

TEST(SocketActivation, ServesThroughSystemdSocketActivate) {
  const std::string activator = "/usr/bin/systemd-socket-activate";
  if (!std::filesystem::exists(activator)) {
    GTEST_SKIP() << "systemd-socket-activate not installed (Debian package systemd)";
  }
  // A free port: systemd-socket-activate binds it itself.
  std::uint16_t port = 0;
  {
    ListeningSocket probe;
    port = probe.port();
  }
  const std::string address = "127.0.0.1:" + std::to_string(port);
  const std::string fibpool = BinDir() + "/fibpool";
  const char* argv[] = {activator.c_str(), "-l", address.c_str(), "--fdname=line",
                        fibpool.c_str(),   "--workers", "1", nullptr};
  pid_t pid = -1;
  ASSERT_EQ(::posix_spawn(&pid, activator.c_str(), nullptr, nullptr, const_cast<char**>(argv),
                          environ),
            0);
  std::optional<std::string> answer;
  // It listens a moment after it starts; it execs fibpool on the first connection.
  EXPECT_TRUE(WaitFor(
      [&] {
        try {
          LineClient client(port);
          answer = client.Ask("30", 60s);
          return true;
        } catch (const std::runtime_error&) {
          return false;
        }
      },
      10s));
  EXPECT_EQ(answer, "832040");
  ::kill(pid, SIGTERM);  // the same pid: systemd-socket-activate exec'd fibpool
  int status = 0;
  EXPECT_TRUE(WaitFor([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, 30s));
  EXPECT_EQ(ExitCodeOf(status), 0);
}

}  // namespace
}  // namespace fibpool::testing
