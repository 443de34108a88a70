// SIGUSR2: fibpool starts the binary on disk as a new process on the same
// listening sockets, and drains once the new one is ready (supervisor/upgrade.h).
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/client_threads.h"
#include "tests/support/exit_status.h"
#include "tests/support/line_client.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"
#include "tests/support/wait.h"

namespace fibpool::testing {
namespace {

using namespace std::chrono_literals;

pid_t StatsPid(std::uint16_t port) {
  LineClient client(port);
  return static_cast<pid_t>(AskStats(client).at("pid").to_number<int>());
}

// The new fibpool is the old one's child until that exits: with this test
// process as a subreaper, it is then this process's child, to stop and reap.
class Subreaper {
 public:
  Subreaper() { ::prctl(PR_SET_CHILD_SUBREAPER, 1); }
  ~Subreaper() {
    if (adopted_ > 0) {
      ::kill(adopted_, SIGKILL);
      ::waitpid(adopted_, nullptr, 0);
    }
    ::prctl(PR_SET_CHILD_SUBREAPER, 0);
  }
  // Stops `pid` with SIGTERM and returns its exit code, or -1 after `timeout`.
  int Stop(pid_t pid, std::chrono::milliseconds timeout) {
    adopted_ = pid;
    ::kill(pid, SIGTERM);
    int status = 0;
    if (!WaitFor([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, timeout)) return -1;
    adopted_ = -1;
    return ExitCodeOf(status);
  }
  void Adopt(pid_t pid) { adopted_ = pid; }

 private:
  pid_t adopted_ = -1;
};

// fibpool and fibpool-worker copied into a directory of their own, so that a
// test can replace the binary on disk; removed with the directory.
class BinaryCopy {
 public:
  BinaryCopy() {
    char name[] = "/tmp/fibpool-upgrade-bin.XXXXXX";
    if (::mkdtemp(name) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = name;
    for (const char* b : {"fibpool", "fibpool-worker"}) {
      std::filesystem::copy_file(BinDir() + "/" + b, dir_ / b);
    }
  }
  ~BinaryCopy() { std::filesystem::remove_all(dir_); }
  std::filesystem::path fibpool() const { return dir_ / "fibpool"; }
  // Replaces fibpool on disk by `script`, as a package upgrade does: a new
  // file renamed over the old path (the running file is left intact).
  void ReplaceFibpoolWith(const std::string& script) const {
    const auto next = dir_ / "fibpool.next";
    std::ofstream(next) << script;
    std::filesystem::permissions(next, std::filesystem::perms::owner_all);
    std::filesystem::rename(next, fibpool());
  }
  // A command_prefix for ServerProcess that runs this copy instead.
  std::vector<std::string> Prefix() const {
    return {"/bin/sh", "-c", "shift; exec " + fibpool().string() + " \"$@\"", "sh"};
  }

 private:
  std::filesystem::path dir_;
};

TEST(BinaryUpgrade, ClientsOpeningConnectionsThroughAnUpgradeAreAllAnsweredByOneProcessOrTheOther) {
  Subreaper subreaper;
  ServerProcess server({"--workers", "1", "--metrics-port", "0"});
  const pid_t old_pid = server.pid();
  const std::vector<pid_t> old_workers = server.WorkerPids();
  ASSERT_FALSE(old_workers.empty());
  ASSERT_FALSE(SegmentsOf(old_pid).empty());
  LineClient first(server.port());
  const std::uint16_t metrics_port = MetricsPort(first);

  AnswerTally tally;
  std::atomic<int> refused{0};
  ClientThreads clients(3, [&](int) {
    while (!clients.stopping()) {
      try {
        LineClient client(server.port());
        tally.Check(client.Ask("30", 60s), "832040", false);
      } catch (const std::runtime_error&) {
        ++refused;
      }
    }
  });
  ASSERT_TRUE(WaitFor([&] { return tally.answered >= 20; }, 30s));
  server.Signal(SIGUSR2);
  ASSERT_EQ(server.WaitExit(60s), 0) << server.Log();
  const pid_t new_pid = StatsPid(server.port());
  subreaper.Adopt(new_pid);
  const std::uint64_t after_upgrade = tally.answered;
  EXPECT_TRUE(WaitFor([&] { return tally.answered >= after_upgrade + 20; }, 30s));
  clients.Stop();

  EXPECT_NE(new_pid, old_pid);
  EXPECT_TRUE(ProcessAlive(new_pid));
  EXPECT_EQ(refused, 0);
  EXPECT_EQ(tally.lost, 0u);
  EXPECT_EQ(tally.wrong, 0u);
  const std::string log = server.Log();
  EXPECT_NE(log.find("event=upgrade_ready new_pid=" + std::to_string(new_pid)), std::string::npos)
      << log;
  // The old process's workers and shared memory are gone; the metrics port
  // is the new one's.
  for (pid_t w : old_workers) EXPECT_TRUE(WaitFor([&] { return !ProcessAlive(w); }, 10s)) << w;
  EXPECT_TRUE(SegmentsOf(old_pid).empty());
  LineClient after(server.port());
  EXPECT_EQ(MetricsPort(after), metrics_port);
  LineClient http(metrics_port);
  http.Send("GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_EQ(http.ReadLine(10s).value_or(""), "HTTP/1.0 200 OK\r");

  EXPECT_EQ(subreaper.Stop(new_pid, 30s), 0);
  EXPECT_TRUE(SegmentsOf(new_pid).empty());
}

TEST(BinaryUpgrade, ANewBinaryThatFailsToStartLeavesTheOldOneServing) {
  Subreaper subreaper;
  BinaryCopy copy;
  ServerProcess server({"--workers", "1"}, {}, false, copy.Prefix());
  copy.ReplaceFibpoolWith("#!/bin/sh\necho 'broken build' >&2\nexit 3\n");
  server.Signal(SIGUSR2);
  ASSERT_TRUE(WaitFor(
      [&] { return server.Log().find("event=upgrade_failed") != std::string::npos; }, 30s))
      << server.Log();
  const std::string log = server.Log();
  EXPECT_NE(log.find("ended=\"3\""), std::string::npos) << log;
  EXPECT_NE(log.find("broken build"), std::string::npos) << log;
  LineClient client(server.port());
  EXPECT_EQ(client.Ask("30", 60s), "832040");
  EXPECT_EQ(StatsPid(server.port()), server.pid());
  server.Signal(SIGTERM);
  EXPECT_EQ(server.WaitExit(30s), 0) << server.Log();
}

TEST(BinaryUpgrade, StartsTheBinaryNowOnDiskAtThePathItWasStartedFrom) {
  Subreaper subreaper;
  BinaryCopy copy;
  ServerProcess server({"--workers", "1"}, {}, false, copy.Prefix());
  // A different file at the same path: the build's fibpool, renamed over it.
  copy.ReplaceFibpoolWith("#!/bin/sh\nexec " + BinDir() + "/fibpool --worker-path " + BinDir() +
                          "/fibpool-worker \"$@\"\n");
  server.Signal(SIGUSR2);
  ASSERT_EQ(server.WaitExit(60s), 0) << server.Log();
  const pid_t new_pid = StatsPid(server.port());
  subreaper.Adopt(new_pid);
  EXPECT_NE(new_pid, server.pid());
  EXPECT_EQ(std::filesystem::read_symlink("/proc/" + std::to_string(new_pid) + "/exe").string(),
            BinDir() + "/fibpool");
  EXPECT_EQ(subreaper.Stop(new_pid, 30s), 0);
}

}  // namespace
}  // namespace fibpool::testing
