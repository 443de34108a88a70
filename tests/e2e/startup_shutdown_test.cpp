// Start-up that cannot complete and stops sent to a whole process group,
// against the real binaries.
#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "supervisor/server.h"
#include "tests/support/line_client.h"
#include "tests/support/pool_state.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"
#include "tests/support/temp_file.h"
#include "tests/support/wait.h"

namespace fibpool::testing {
namespace {

using std::chrono::seconds;
using supervisor::kStartupTimeout;

// An executable "worker" that records its parent's pid and its own in
// `pids`, runs `before`, and then hangs without ever reporting ready.
class HangingWorker {
 public:
  explicit HangingWorker(const std::string& before)
      : script_("#!/bin/sh\necho $PPID $$ > " + pids_.path() + "\n" + before +
                "\nexec sleep 600\n") {
    ::chmod(script_.path().c_str(), 0700);
  }
  const std::string& path() const { return script_.path(); }
  // The supervisor's pid and the worker's, once the worker ran.
  std::pair<pid_t, pid_t> Pids() const {
    std::ifstream in(pids_.path());
    pid_t parent = -1, self = -1;
    in >> parent >> self;
    return {parent, self};
  }

 private:
  TempFile pids_{""};
  TempFile script_;
};

struct TimedRun {
  CommandResult result;
  std::chrono::steady_clock::duration elapsed;
};

// fibpool with one worker, `worker`, run to its exit.
TimedRun RunWith(const HangingWorker& worker) {
  const auto start = std::chrono::steady_clock::now();
  CommandResult r = RunFibpool({"--host", "127.0.0.1", "--port", "0", "--workers", "1",
                                "--reserve-workers", "0", "--worker-path", worker.path()},
                               {}, kStartupTimeout + seconds(20));
  return {std::move(r), std::chrono::steady_clock::now() - start};
}

// The worker process is gone and so is the supervisor's shared memory.
void ExpectNothingLeft(const HangingWorker& worker) {
  const auto [supervisor, hung] = worker.Pids();
  ASSERT_GT(supervisor, 0);
  EXPECT_TRUE(WaitFor([&] { return !ProcessAlive(hung); }, seconds(5)));
  EXPECT_TRUE(SegmentsOf(supervisor).empty());
}

TEST(StartupShutdown, AWorkerThatNeverReportsReadyFailsTheStartUpInBoundedTime) {
  HangingWorker worker("");
  const TimedRun run = RunWith(worker);
  ASSERT_TRUE(run.result.exit_code.has_value()) << "fibpool did not exit";
  EXPECT_EQ(*run.result.exit_code, 1);
  EXPECT_NE(run.result.err.find("did not report ready within"), std::string::npos)
      << run.result.err;
  EXPECT_GE(run.elapsed, kStartupTimeout);
  EXPECT_TRUE(run.result.out.empty()) << run.result.out;  // no ready line
  ExpectNothingLeft(worker);
}

TEST(StartupShutdown, SigtermBeforeReadyStopsAtOnceLeavingNothing) {
  HangingWorker worker("kill -TERM $PPID");
  const TimedRun run = RunWith(worker);
  ASSERT_TRUE(run.result.exit_code.has_value()) << "fibpool did not exit";
  EXPECT_EQ(*run.result.exit_code, 0) << run.result.err;
  // Stopped by the signal, not by the start-up timeout.
  EXPECT_NE(run.result.err.find("event=stopped_during_startup"), std::string::npos)
      << run.result.err;
  EXPECT_EQ(run.result.err.find("did not report ready within"), std::string::npos)
      << run.result.err;
  ExpectNothingLeft(worker);
}

TEST(StartupShutdown, BindFailuresNameTheListenerAndTheAddress) {
  ServerProcess first({"--workers", "1", "--metrics-port", "0"});
  LineClient client(first.port());
  const std::string metrics_port = std::to_string(Counter(AskStats(client), "metrics_port"));
  const std::string line_port = std::to_string(first.port());

  const CommandResult line =
      RunFibpool({"--host", "127.0.0.1", "--port", line_port, "--workers", "1"}, {}, seconds(10));
  EXPECT_EQ(line.exit_code, 1);
  EXPECT_NE(line.err.find("line protocol on 127.0.0.1:" + line_port), std::string::npos)
      << line.err;
  EXPECT_EQ(line.err.find(".hpp"), std::string::npos) << line.err;

  const CommandResult metrics = RunFibpool(
      {"--host", "127.0.0.1", "--port", "0", "--workers", "1", "--metrics-port", metrics_port}, {},
      seconds(10));
  EXPECT_EQ(metrics.exit_code, 1);
  EXPECT_NE(metrics.err.find("metrics (HTTP) on 127.0.0.1:" + metrics_port), std::string::npos)
      << metrics.err;
  EXPECT_EQ(metrics.err.find(".hpp"), std::string::npos) << metrics.err;
  EXPECT_EQ(client.Ask("ping"), "pong");  // the first one is undisturbed
}

TEST(StartupShutdown, SigtermToTheWholeProcessGroupDrainsWithoutKillingAWorker) {
  ServerProcess server({"--workers", "1"}, {}, /*own_process_group=*/true);
  LineClient client(server.port());
  LineClient observer(server.port());
  const std::vector<pid_t> workers = server.WorkerPids();
  client.Send("40 recursive\n");
  const auto busy = WaitForBusyWorker(observer);
  ASSERT_TRUE(busy) << "the job never ran";
  // The worker is held (SIGSTOP) while the signal comes: its job is in
  // flight then, however fast the machine.
  ASSERT_EQ(::kill(busy->pid, SIGSTOP), 0);
  ASSERT_EQ(::kill(-server.pid(), SIGTERM), 0);  // `kill -TERM -PGID`, as systemd or `timeout` do
  ASSERT_EQ(client.ReadLine(seconds(0)), std::nullopt) << "the job ended before the worker stopped";
  ASSERT_EQ(::kill(busy->pid, SIGCONT), 0);

  EXPECT_EQ(client.ReadLine(), "102334155");  // the job in flight is answered
  EXPECT_TRUE(client.WaitForClose());
  EXPECT_EQ(server.WaitExit(seconds(20)), 0);
  for (pid_t w : workers) EXPECT_FALSE(ProcessAlive(w)) << "worker " << w << " outlived fibpool";
  const std::string log = server.Log();
  EXPECT_EQ(log.find("cause=crash"), std::string::npos) << log;
  EXPECT_EQ(log.find("event=worker_died"), std::string::npos) << log;
  EXPECT_NE(log.find("event=stopped"), std::string::npos) << log;
}

}  // namespace
}  // namespace fibpool::testing
