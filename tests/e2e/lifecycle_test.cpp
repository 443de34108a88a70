// The life of the supervisor and its workers, against the real binaries:
// draining on SIGTERM/SIGINT, workers that die or are killed, SIGHUP, and
// what the processes hold.
#include <signal.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/line_client.h"
#include "tests/support/pool_state.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"
#include "tests/support/temp_file.h"
#include "tests/support/unread_bytes.h"
#include "tests/support/wait.h"

namespace fibpool::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

bool Contains(const std::vector<pid_t>& pids, pid_t pid) {
  return std::find(pids.begin(), pids.end(), pid) != pids.end();
}

// True once a new connection to `port` is refused: the server stopped accepting.
bool Refused(std::uint16_t port) {
  try {
    LineClient probe(port);
    return false;
  } catch (const std::runtime_error&) {
    return true;
  }
}

class Drain : public ::testing::TestWithParam<int> {};

TEST_P(Drain, AnswersEveryRequestInFlightThenExitsZeroLeavingNothing) {
  ServerProcess server({"--workers", "2"});
  LineClient client(server.port());
  LineClient observer(server.port());
  const std::vector<pid_t> workers = server.WorkerPids();
  ASSERT_EQ(workers.size(), 2u + kReserveWorkers);
  ASSERT_FALSE(SegmentsOf(server.pid()).empty());  // so that "empty" below means removed

  client.Send("40 recursive\n40 recursive\n40 recursive\n40 recursive\n5\n");
  // A worker seen busy is held (SIGSTOP) while the signal comes: its job is
  // in flight then, however fast the machine.
  const auto busy = WaitForBusyWorker(observer);
  ASSERT_TRUE(busy) << "no job ran";
  ASSERT_EQ(::kill(busy->pid, SIGSTOP), 0);
  server.Signal(GetParam());
  ASSERT_TRUE(observer.WaitForClose());  // the drain has begun
  ASSERT_EQ(::kill(busy->pid, SIGCONT), 0);

  for (int i = 0; i < 4; ++i) EXPECT_EQ(client.ReadLine(), "102334155") << "request " << i;
  EXPECT_EQ(client.ReadLine(), "5");
  EXPECT_TRUE(client.WaitForClose());
  EXPECT_EQ(server.WaitExit(seconds(10)), 0);
  for (pid_t w : workers) EXPECT_FALSE(ProcessAlive(w)) << "worker " << w << " outlived fibpool";
  EXPECT_TRUE(ChildrenOf(server.pid()).empty());
  EXPECT_TRUE(SegmentsOf(server.pid()).empty());
  const std::string log = server.Log();
  EXPECT_NE(log.find("event=drain"), std::string::npos) << log;
  // The workers ended on their sentinels, not killed after the grace period.
  EXPECT_EQ(log.find("stop_grace"), std::string::npos) << log;
}

TEST_P(Drain, IdleServerExitsZeroPromptly) {
  ServerProcess server({"--workers", "3"});
  LineClient idle(server.port());  // an open connection does not hold the drain up
  ASSERT_EQ(idle.Ask("ping"), "pong");
  const std::vector<pid_t> workers = server.WorkerPids();
  server.Signal(GetParam());
  EXPECT_TRUE(idle.WaitForClose());
  EXPECT_EQ(server.WaitExit(seconds(5)), 0);
  for (pid_t w : workers) EXPECT_FALSE(ProcessAlive(w));
  EXPECT_TRUE(SegmentsOf(server.pid()).empty());
}

INSTANTIATE_TEST_SUITE_P(Signals, Drain, ::testing::Values(SIGTERM, SIGINT),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return info.param == SIGTERM ? std::string("Sigterm")
                                                        : std::string("Sigint");
                         });

// F(42) by recursion: a job that keeps a worker busy for a while, yet
// never past the drain's stop grace.
constexpr const char* kHeldJob = "42 recursive";
constexpr const char* kHeldJobAnswer = "267914296";

// A server with one worker that drains while `client_`'s kHeldJob is held on
// it: the worker is stopped (SIGSTOP) as soon as `stats` shows it busy, so
// the job cannot end before the test has looked, however fast the machine.
// Each test starts once the drain is observable (the idle `observer_`
// connection is closed when it begins) and resumes `held_` itself.
class DrainingWithAHeldJob : public ::testing::Test {
 protected:
  void SetUp() override {
    client_.Send(std::string(kHeldJob) + "\n");
    const auto busy = WaitForBusyWorker(observer_);
    ASSERT_TRUE(busy) << "the job never ran";
    ASSERT_EQ(::kill(busy->pid, SIGSTOP), 0);
    held_ = busy->pid;
    server_.Signal(SIGTERM);
    ASSERT_TRUE(observer_.WaitForClose());
    ASSERT_EQ(client_.ReadLine(seconds(0)), std::nullopt)
        << "the job ended before the worker stopped";
  }

  ServerProcess server_{{"--workers", "1"}};
  LineClient client_{server_.port()};
  LineClient observer_{server_.port()};
  pid_t held_ = -1;
};

TEST_F(DrainingWithAHeldJob, NewConnectionsAreRefusedAtOnce) {
  // The job still runs, yet the port no longer takes connections (a
  // connection the kernel accepted now would never be served).
  EXPECT_TRUE(Refused(server_.port())) << "connect succeeded while draining";
  ASSERT_EQ(::kill(held_, SIGCONT), 0);
  EXPECT_EQ(client_.ReadLine(), kHeldJobAnswer);
  EXPECT_EQ(server_.WaitExit(seconds(10)), 0);
}

TEST_F(DrainingWithAHeldJob, ARequestSentMeanwhileGetsExactlyOneAnswer) {
  client_.Send("5\nping\n");
  // The server takes the late requests in while the job is still held.
  EXPECT_TRUE(WaitFor([&] { return UnreadByPeer(client_.fd()) == 0u; }, seconds(10)))
      << "the draining server left " << UnreadByPeer(client_.fd()).value_or(0) << " bytes unread";
  ASSERT_EQ(::kill(held_, SIGCONT), 0);

  EXPECT_EQ(client_.ReadLine(), kHeldJobAnswer);
  const auto late_job = client_.ReadLine(seconds(10));
  EXPECT_TRUE(late_job == "5" || (late_job && late_job->starts_with("ERR shutting_down ")))
      << "answer to a job sent while draining: " << late_job.value_or("<none: EOF>");
  const auto late_ping = client_.ReadLine(seconds(10));
  EXPECT_TRUE(late_ping == "pong" || (late_ping && late_ping->starts_with("ERR shutting_down ")))
      << "answer to a ping sent while draining: " << late_ping.value_or("<none: EOF>");
  EXPECT_TRUE(client_.WaitForClose());
  EXPECT_EQ(server_.WaitExit(seconds(10)), 0);
}

TEST(Lifecycle, WorkerKilledMidJobIsReplacedAndTheJobRetried) {
  ServerProcess server({"--workers", "2"});
  LineClient client(server.port());
  LineClient observer(server.port());
  client.Send(std::string(kHeldJob) + "\n");
  // Stopped first, the worker cannot finish the job between the look and the kill.
  const auto busy = WaitForBusyWorker(observer);
  ASSERT_TRUE(busy) << "the job never ran";
  const pid_t victim = busy->pid;
  ASSERT_TRUE(Contains(server.WorkerPids(), victim));
  ASSERT_EQ(::kill(victim, SIGSTOP), 0);
  ASSERT_EQ(client.ReadLine(seconds(0)), std::nullopt) << "the job ended before the worker stopped";
  ASSERT_EQ(::kill(victim, SIGKILL), 0);

  EXPECT_EQ(client.ReadLine(seconds(20)), kHeldJobAnswer);
  EXPECT_TRUE(WaitFor([&] { return PoolIsWhole(observer, 2, {victim}); }, seconds(10)));
  const auto stats = AskStats(observer);
  EXPECT_EQ(Counter(stats, "job_retries"), 1u);
  EXPECT_EQ(Counter(stats, "worker_crashes"), 1u);
  EXPECT_EQ(Counter(stats, "errors", "worker_crashed"), 0u);
  EXPECT_TRUE(WaitFor([&] { return !ProcessAlive(victim); }, seconds(5)));  // reaped
  const auto children = ChildrenOf(server.pid());
  EXPECT_EQ(children.size(), 2u + kReserveWorkers);
  EXPECT_FALSE(Contains(children, victim));
  EXPECT_EQ(client.Ask("30 recursive"), "832040");  // the pool still works
}

TEST(Lifecycle, IdleWorkerKilledIsReplaced) {
  ServerProcess server({"--workers", "2"});
  LineClient client(server.port());
  const pid_t victim = server.WorkerPids().at(0);
  ASSERT_EQ(::kill(victim, SIGKILL), 0);
  EXPECT_TRUE(WaitFor([&] { return PoolIsWhole(client, 2, {victim}); }, seconds(10)));
  EXPECT_EQ(client.Ask("30"), "832040");
  EXPECT_EQ(Counter(AskStats(client), "job_retries"), 0u);
}

TEST(Lifecycle, WorkersHoldNoSockets) {
  ServerProcess server({"--workers", "2"});
  // Clients connected while a worker is (re)spawned: their sockets must not
  // be inherited.
  LineClient a(server.port());
  LineClient b(server.port());
  LineClient observer(server.port());
  ASSERT_EQ(a.Ask("ping"), "pong");
  ASSERT_EQ(b.Ask("ping"), "pong");
  const pid_t victim = server.WorkerPids().at(0);
  ASSERT_EQ(::kill(victim, SIGKILL), 0);
  ASSERT_TRUE(WaitFor([&] { return PoolIsWhole(observer, 2, {victim}); }, seconds(10)));

  const auto is_socket = [](const std::string& t) { return t.starts_with("socket:"); };
  // The check itself works: the supervisor holds the listener and 3 clients.
  const auto supervisor_fds = FdTargets(server.pid());
  EXPECT_GE(std::count_if(supervisor_fds.begin(), supervisor_fds.end(), is_socket), 4);
  const auto workers = server.WorkerPids();
  ASSERT_EQ(workers.size(), 2u + kReserveWorkers);
  for (pid_t w : workers) {
    const auto fds = FdTargets(w);
    EXPECT_FALSE(fds.empty()) << "cannot read /proc/" << w << "/fd";
    for (const std::string& t : fds) {
      EXPECT_FALSE(is_socket(t)) << "worker " << w << " holds " << t;
      // Segments are mapped, their descriptors closed at once (shared_segment.h).
      EXPECT_FALSE(t.starts_with("/dev/shm/")) << "worker " << w << " holds " << t;
    }
  }
}

// The kernel's struct sched_attr (sched_getattr(2)).
struct SchedAttr {
  std::uint32_t size, policy;
  std::uint64_t flags;
  std::int32_t nice;
  std::uint32_t priority;
  std::uint64_t runtime, deadline, period;  // SCHED_OTHER: runtime is the slice in ns
  std::uint32_t util_min, util_max;
};

// The kernel's scheduling attributes of a process: its nice value and, on
// kernels with EEVDF custom slices, its slice in ns.
struct Scheduling {
  int nice = 0;
  std::uint64_t slice_ns = 0;
};

Scheduling SchedulingOf(pid_t pid) {
  SchedAttr attr{};
  if (::syscall(SYS_sched_getattr, pid, &attr, sizeof attr, 0) != 0) {
    ADD_FAILURE() << "sched_getattr " << pid;
  }
  return {attr.nice, attr.runtime};
}

// Whether the running kernel keeps a custom time slice (EEVDF custom slices,
// Linux 6.12 on): a thread of the test asks for one and reads back what the
// kernel reports. An older kernel ignores the request and reports none.
bool KernelKeepsCustomSlices() {
  constexpr std::uint64_t kProbeSliceNs = 300'000;
  bool kept = false;
  std::thread([&] {
    SchedAttr attr{};
    if (::syscall(SYS_sched_getattr, 0, &attr, sizeof attr, 0) != 0) return;
    attr.size = sizeof attr;
    attr.runtime = kProbeSliceNs;  // same policy and nice: only the slice changes
    if (::syscall(SYS_sched_setattr, 0, &attr, 0) != 0) return;
    SchedAttr back{};
    kept = ::syscall(SYS_sched_getattr, 0, &back, sizeof back, 0) == 0 &&
           back.runtime == kProbeSliceNs;
  }).join();
  return kept;
}

TEST(Lifecycle, BigJobWorkersYieldTheCpuToTheSupervisorAndTheReserveLane) {
  ServerProcess server({"--workers", "2", "--worker-nice", "7"});
  LineClient client(server.port());
  const auto stats = AskStats(client);
  const Scheduling supervisor = SchedulingOf(server.pid());
  const Scheduling mine = SchedulingOf(::getpid());
  const bool slices = KernelKeepsCustomSlices();
  EXPECT_EQ(supervisor.nice, mine.nice);
  if (slices) {
    EXPECT_EQ(supervisor.slice_ns, 100'000u);
  }
  ASSERT_EQ(WorkersOf(stats).size(), 2u);
  for (const WorkerStat& w : WorkersOf(stats)) {
    const Scheduling main = SchedulingOf(w.pid);
    EXPECT_EQ(main.nice, std::max(7, mine.nice)) << "main-lane worker " << w.pid;
    if (slices) {
      EXPECT_GT(main.slice_ns, supervisor.slice_ns) << "main-lane worker " << w.pid;
    }
  }
  const auto& reserve = stats.at("reserve_workers").as_array();
  ASSERT_EQ(reserve.size(), kReserveWorkers);
  for (const auto& r : reserve) {
    const auto pid = static_cast<pid_t>(r.at("pid").to_number<std::int64_t>());
    const Scheduling lane = SchedulingOf(pid);
    EXPECT_EQ(lane.nice, mine.nice) << "reserve worker " << pid;
    if (slices) {
      EXPECT_EQ(lane.slice_ns, supervisor.slice_ns) << "reserve worker " << pid;
    }
  }
  if (!slices)
    std::cout << "[ note     ] this kernel keeps no custom slice: nice values checked only\n";
}

// A killed supervisor: tests/e2e/faults_test.cpp (KilledSupervisorLeavesNoOrphan...).

TEST(Lifecycle, SighupAppliesTheNewWorkerCountWithoutDroppingARequest) {
  TempFile config("workers = 2\n");
  ServerProcess server({"--config", config.path()});
  ASSERT_EQ(server.workers_in_ready_line(), 2u);
  LineClient client(server.port());
  LineClient observer(server.port());
  client.Send("40 recursive\n40 recursive\n40 recursive\n");
  config.Write("workers = 3\n");
  server.Signal(SIGHUP);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client.ReadLine(), "102334155") << "request " << i;
  EXPECT_TRUE(WaitFor([&] { return PoolIsWhole(observer, 3); }, seconds(10)))
      << "stats after SIGHUP: " << boost::json::serialize(AskStats(observer));
  EXPECT_EQ(server.WorkerPids().size(), 3u + kReserveWorkers);
  EXPECT_EQ(client.Ask("ping"), "pong");
}

TEST(Lifecycle, ACheapJobAfterAShrinkGoesToAFreeWorkerNotBehindTheSentinelOfTheRetiringOne) {
  TempFile config("workers = 2\n");
  ServerProcess server({"--config", config.path()});
  LineClient client(server.port());
  LineClient observer(server.port());
  client.Send(std::string(kHeldJob) + "\n");
  ASSERT_TRUE(WaitForBusyWorker(observer)) << "the job never ran";
  // Both main workers stopped: the busy one cannot finish its job, the idle
  // one cannot take the sentinel of the shrink, so the queue keeps it.
  std::vector<pid_t> main_workers;
  for (const WorkerStat& w : WorkersOf(AskStats(observer))) main_workers.push_back(w.pid);
  ASSERT_EQ(main_workers.size(), 2u);
  for (const pid_t pid : main_workers) ASSERT_EQ(::kill(pid, SIGSTOP), 0);
  config.Write("workers = 1\n");
  server.Signal(SIGHUP);
  ASSERT_TRUE(WaitFor([&] { return Counter(AskStats(observer), "workers_target") == 1u; },
                      seconds(10)));

  // The reserve worker is free; a job queued behind the sentinel in the main
  // lane would wait for the stopped workers.
  LineClient tiny(server.port());
  EXPECT_EQ(tiny.Ask("10", seconds(10)), "55");

  for (const pid_t pid : main_workers) ASSERT_EQ(::kill(pid, SIGCONT), 0);
  EXPECT_EQ(client.ReadLine(), kHeldJobAnswer);
  EXPECT_TRUE(WaitFor([&] { return PoolIsWhole(observer, 1); }, seconds(10)))
      << "stats after the shrink: " << boost::json::serialize(AskStats(observer));
}

}  // namespace
}  // namespace fibpool::testing
