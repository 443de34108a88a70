// Faults injected for real into a running fibpool: workers killed, stopped,
// recycled and resized under load, clients vanishing, the supervisor itself
// killed. Every request must still get exactly one right answer (or the
// documented ERR), and nothing may leak.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

#include "ipc/job_queue.h"
#include "ipc/segment_names.h"
#include "tests/support/client_threads.h"
#include "tests/support/fib_reference.h"
#include "tests/support/line_client.h"
#include "tests/support/pool_state.h"
#include "tests/support/sanitizer.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"
#include "tests/support/temp_file.h"
#include "tests/support/wait.h"
#include "tests/support/worker_kills.h"

namespace fibpool::testing {
namespace {

using namespace std::chrono_literals;

// Expected answers come from the independent reference, never from the
// worker's own code.
std::string Expected(std::uint64_t n) { return FibReference(n); }

// The pid of a worker `stats` shows busy with a job within 10 s; -1 if none.
pid_t BusyWorkerPid(LineClient& observer) {
  const auto busy = WaitForBusyWorker(observer, 10s);
  return busy ? busy->pid : -1;
}

// Clients that keep asking and check every answer until told to stop.
class Load {
 public:
  Load(std::uint16_t port, int clients, bool allow_crashed)
      : threads_(clients, [this, port, allow_crashed](int c) {
          std::mt19937 rng(static_cast<unsigned>(c));
          LineClient client(port);
          while (!threads_.stopping()) {
            // A few pipelined requests, then their answers.
            std::vector<std::uint64_t> ns;
            std::string batch;
            for (int i = 0; i < 4; ++i) {
              ns.push_back(rng() % 3000);
              batch += std::to_string(ns.back()) + (i % 2 ? " fast\n" : "\n");
            }
            batch += "22 recursive\n";
            ns.push_back(22);
            client.Send(batch);
            for (std::uint64_t n : ns)
              tally_.Check(client.ReadLine(60s), Expected(n), allow_crashed);
          }
        }) {}
  void Stop() { threads_.Stop(); }
  std::uint64_t answered() const { return tally_.answered; }
  std::uint64_t lost() const { return tally_.lost; }
  std::uint64_t wrong() const { return tally_.wrong; }

 private:
  AnswerTally tally_;
  ClientThreads threads_;  // last: its threads stop before the tally goes
};

// The supervisor's descriptors (its /proc/PID/fd) are counted with the pool
// whole and one idle connection open, before the kills and after them.
TEST(Faults, RandomWorkerKillsUnderLoadLoseNoRequestAndLeakNoSupervisorDescriptor) {
  ServerProcess server({"--workers", "2"});
  LineClient observer(server.port());
  ASSERT_EQ(observer.Ask("30"), "832040");  // every lane and buffer in use once
  ASSERT_TRUE(WaitFor([&] { return PoolIsWhole(observer, 2); }, 10s));
  const std::size_t fds_before = FdTargets(server.pid()).size();
  ASSERT_GT(fds_before, 0u) << "cannot read /proc/" << server.pid() << "/fd";
  {
    Load load(server.port(), 4, /*allow_crashed=*/true);
    // At least kMinKills deaths under load make it a test of recovery. The
    // pause leaves a new worker time to answer (an answer ends the pool's
    // crash-loop back-off): under ThreadSanitizer a worker starts and computes
    // about ten times slower, and at 50 ms each one died before its first
    // answer, so the back-off held every job past the clients' 60 s.
    constexpr int kMinKills = 20;
    const int kills = KillWorkersUnderLoad(
        server, [&] { return load.answered(); },
        {.pause = kThreadSanitized ? 500ms : 50ms, .kills = 100, .deadline = 60s}, 42);
    const std::uint64_t answered_under_kills = load.answered();
    load.Stop();
    EXPECT_GE(kills, kMinKills);
    EXPECT_GT(answered_under_kills, 0u);
    EXPECT_EQ(load.lost(), 0u);
    EXPECT_EQ(load.wrong(), 0u);
  }
  EXPECT_TRUE(WaitFor([&] { return PoolIsWhole(observer, 2); }, 15s));
  EXPECT_EQ(server.WorkerPids().size(), 2u + kReserveWorkers);
  EXPECT_GT(Counter(AskStats(observer), "worker_crashes"), 0u);
  EXPECT_EQ(observer.Ask("30"), "832040");
  // The load's connections closed and the dead workers' pipes with them.
  std::size_t fds_after = 0;
  EXPECT_TRUE(WaitFor(
      [&] {
        fds_after = FdTargets(server.pid()).size();
        return fds_after == fds_before;
      },
      10s))
      << "fibpool holds " << fds_after << " descriptors, " << fds_before << " before";
}

// Writes garbage over every slot of the live queue segment of `supervisor`
// (main lane), from outside, as a stray write would: each slot's length
// becomes one no slot can have. The header locates the slots at the end of
// the segment (docs/shared_memory.md); its magic and layout version are
// checked first, so that a new layout fails here rather than corrupt
// something else. Free slots are rewritten whole by the next push.
void CorruptQueueSlots(pid_t supervisor) {
  struct Header {  // docs/shared_memory.md, "The queue segment"
    std::uint64_t magic;
    std::uint32_t version;
    std::uint32_t capacity;
    std::uint64_t total_bytes;
  };
  const std::string path = "/dev/shm/" + ipc::QueueSegmentName(supervisor);
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(fd, 0) << path << ": " << std::strerror(errno);
  struct stat st {};
  ASSERT_EQ(::fstat(fd, &st), 0);
  const auto size = static_cast<std::size_t>(st.st_size);
  void* map = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  ::close(fd);
  ASSERT_NE(map, MAP_FAILED);
  char* base = static_cast<char*>(map);
  Header header;
  std::memcpy(&header, base, sizeof header);
  EXPECT_EQ(header.magic, ipc::kSegmentMagic);
  EXPECT_EQ(header.version, ipc::kLayoutVersion);
  if (header.magic == ipc::kSegmentMagic && header.version == ipc::kLayoutVersion &&
      header.total_bytes <= size) {
    char* slots = base + header.total_bytes - header.capacity * ipc::kSlotBytes;
    const std::uint32_t garbage = 0xdeadbeef;
    for (std::uint32_t i = 0; i < header.capacity; ++i) {
      std::memcpy(slots + i * ipc::kSlotBytes, &garbage, sizeof garbage);
    }
  }
  ::munmap(map, size);
}

TEST(Faults, AJobWhoseQueueSlotIsCorruptIsAnsweredErrInternalAndTheDrainEnds) {
  ServerProcess server({"--workers", "1", "--reserve-workers", "0", "--worker-spin-us", "0"});
  LineClient client(server.port());
  LineClient observer(server.port());
  const std::vector<pid_t> workers = server.WorkerPids();
  ASSERT_EQ(workers.size(), 1u);
  // Stopped, the worker leaves the job in its slot for the test to corrupt.
  ::kill(workers[0], SIGSTOP);
  client.Send("20\n");
  ASSERT_TRUE(WaitFor([&] { return Counter(AskStats(observer), "queue_depth") == 1; }, 10s));
  CorruptQueueSlots(server.pid());
  ::kill(workers[0], SIGCONT);
  // The worker cannot read the slot and drops it; nobody would answer it.
  ASSERT_TRUE(WaitFor([&] { return Counter(AskStats(observer), "queue_depth") == 0; }, 10s));
  server.Signal(SIGTERM);
  const auto answer = client.ReadLine(10s);
  ASSERT_TRUE(answer) << "the job was never answered\n" << server.Log();
  EXPECT_EQ(answer->rfind("ERR internal ", 0), 0u) << *answer;
  EXPECT_NE(server.Log().find("event=internal_error algorithm=fast n=20 "), std::string::npos)
      << server.Log();
  // The worker that took the slot says so, in the same log.
  EXPECT_NE(server.Log().find("event=corrupt_job "), std::string::npos) << server.Log();
  EXPECT_EQ(server.WaitExit(10s), 0) << "the drain waits for the lost job\n" << server.Log();
}

TEST(Faults, KilledSupervisorLeavesNoOrphanAndTheNextStartCleansUp) {
  pid_t old_pid = -1;
  std::uint16_t port = 0;
  std::vector<pid_t> workers;
  {
    ServerProcess server({"--workers", "3"});
    old_pid = server.pid();
    port = server.port();
    LineClient client(server.port());
    ASSERT_EQ(client.Ask("30"), "832040");
    workers = server.WorkerPids();
    ASSERT_EQ(workers.size(), 3u + kReserveWorkers);
    ASSERT_FALSE(SegmentsOf(old_pid).empty());
    server.Signal(SIGKILL);
    ASSERT_TRUE(server.WaitExit(5s));
    EXPECT_TRUE(WaitFor(
        [&] {
          return std::none_of(workers.begin(), workers.end(),
                              [](pid_t p) { return ProcessAlive(p); });
        },
        1s));
  }
  // (Its queue segment stays until an instance starts: in a parallel test run
  // another test's server may be the one that removes it.)
  // Nothing holds the port: a new instance binds it and removes the leftovers.
  ServerProcess next({"--workers", "1", "--port", std::to_string(port)});
  EXPECT_EQ(next.port(), port);
  EXPECT_TRUE(SegmentsOf(old_pid).empty());
  LineClient client(next.port());
  EXPECT_EQ(client.Ask("10"), "55");
}

TEST(Faults, ResizeUpAndDownUnderLoadLosesNothing) {
  TempFile config("workers = 2\n");
  ServerProcess server({"--config", config.path()});
  ASSERT_EQ(server.workers_in_ready_line(), 2u);
  Load load(server.port(), 3, /*allow_crashed=*/false);
  LineClient client(server.port());

  config.Write("workers = 4\n");
  server.Signal(SIGHUP);
  EXPECT_TRUE(WaitFor([&] { return PoolIsWhole(client, 4); }, 10s));
  EXPECT_EQ(server.WorkerPids().size(), 4u + kReserveWorkers);

  config.Write("workers = 1\n");
  server.Signal(SIGHUP);
  EXPECT_TRUE(WaitFor(
      [&] { return PoolIsWhole(client, 1) && server.WorkerPids().size() == 1 + kReserveWorkers; },
      10s));
  const std::uint64_t before = load.answered();
  EXPECT_TRUE(WaitFor([&] { return load.answered() > before + 20; }, 10s));
  load.Stop();
  EXPECT_EQ(load.lost(), 0u);
  EXPECT_EQ(load.wrong(), 0u);
  EXPECT_EQ(Counter(AskStats(client), "worker_crashes"), 0u);
}

// A client that vanishes (its connection reset) while its job runs.
TEST(Faults, RunningJobOfADisconnectedClientIsStopped) {
  ServerProcess server({"--workers", "2"});
  LineClient observer(server.port());
  pid_t busy = -1;
  {
    LineClient client(server.port());
    client.Send("50 recursive\n");  // about 15 s of work if nobody stopped it
    busy = BusyWorkerPid(observer);
    ASSERT_GT(busy, 0);
    client.Reset();
  }
  EXPECT_TRUE(WaitFor([&] { return !ProcessAlive(busy); }, 3s));
  EXPECT_TRUE(WaitFor([&] { return PoolIsWhole(observer, 2, {busy}); }, 5s));
  const auto stats = AskStats(observer);
  EXPECT_GE(Counter(stats, "jobs_cancelled"), 1u);
  EXPECT_EQ(Counter(stats, "worker_crashes"), 0u);
  EXPECT_EQ(Counter(stats, "jobs_pending"), 0u);
}

TEST(Faults, QueuedJobsOfADisconnectedClientAreDropped) {
  ServerProcess server({"--workers", "1"});
  LineClient observer(server.port());
  {
    LineClient client(server.port());
    std::string batch;
    for (int i = 0; i < 40; ++i) batch += "50 recursive\n";  // each minutes of work
    client.Send(batch);
    ASSERT_GT(BusyWorkerPid(observer), 0);
    client.Reset();
  }
  // Only dropping the queued jobs and stopping the running one empties the pool.
  EXPECT_TRUE(WaitFor([&] { return Counter(AskStats(observer), "jobs_pending") == 0; }, 10s));
  EXPECT_EQ(observer.Ask("25"), "75025");
}

TEST(Faults, WorkersDyingAsFastAsTheyStartBackOff) {
  ServerProcess server({"--workers", "1"});
  LineClient client(server.port());
  // Kill every new worker as soon as it shows up.
  std::vector<pid_t> killed;
  const bool backed_off = WaitFor(
      [&] {
        for (pid_t p : server.WorkerPids()) {
          if (std::find(killed.begin(), killed.end(), p) == killed.end()) {
            ::kill(p, SIGKILL);
            killed.push_back(p);
          }
        }
        return Counter(AskStats(client), "respawn_backoff_ms") > 0;
      },
      10s, 1ms);
  EXPECT_TRUE(backed_off);
  EXPECT_NE(server.Log().find("event=crash_loop"), std::string::npos);
  // Left alone, the pool comes back.
  EXPECT_TRUE(WaitFor([&] { return PoolIsWhole(client, 1, killed); }, 10s));
  EXPECT_EQ(client.Ask("40"), "102334155");
}

TEST(Faults, WorkersAreRecycledAfterMaxJobs) {
  // No reserve lane: every job goes to the one worker, so the count is exact.
  ServerProcess server({"--workers", "1", "--reserve-workers", "0", "--max-jobs-per-worker", "3"});
  LineClient client(server.port());
  std::vector<pid_t> seen;
  for (std::uint64_t n = 0; n < 10; ++n) {
    ASSERT_EQ(client.Ask(std::to_string(n)), Expected(n));
    for (const auto& w : WorkersOf(AskStats(client))) {
      if (std::find(seen.begin(), seen.end(), w.pid) == seen.end()) seen.push_back(w.pid);
    }
  }
  EXPECT_GE(seen.size(), 3u);
  const auto stats = AskStats(client);
  EXPECT_GE(Counter(stats, "worker_recycles"), 3u);
  EXPECT_EQ(Counter(stats, "worker_crashes"), 0u);
}

TEST(Faults, UnderEvenLoadTheMainWorkersAreNotRecycledTogether) {
  constexpr long kMaxJobs = 4000;
  ServerProcess server({"--workers", "2", "--reserve-workers", "0", "--max-jobs-per-worker",
                        std::to_string(kMaxJobs)});
  // Even load: two clients, each with the same window of cheap jobs in flight.
  ClientThreads load(2, [&](int) {
    LineClient client(server.port());
    for (int i = 0; i < 4; ++i) client.Send("25\n");
    while (!load.stopping()) {
      if (!client.ReadLine(60s)) return;
      client.Send("25\n");
    }
  });
  // The jobs each main cell's first worker had run when it was recycled.
  std::map<std::string, long> jobs;
  const std::regex recycled(
      R"(event=worker_exited lane=main cell=(\d+) pid=\d+ cause=recycle jobs=(\d+))");
  ASSERT_TRUE(WaitFor(
      [&] {
        std::istringstream lines(server.Log());
        for (std::string line; std::getline(lines, line);) {
          std::smatch m;
          if (std::regex_search(line, m, recycled)) jobs.emplace(m[1], std::stol(m[2]));
        }
        return jobs.size() == 2;
      },
      120s, 20ms))
      << server.Log();
  load.Stop();
  // Each within a tenth above the setting, and the two cells at least N / 40
  // apart (recycle_limit.h): one is replaced well before the other.
  for (const auto& [cell, n] : jobs) {
    EXPECT_GE(n, kMaxJobs) << cell;
    EXPECT_LE(n, kMaxJobs + kMaxJobs / 10) << cell;
  }
  EXPECT_GE(std::abs(jobs["0"] - jobs["1"]), kMaxJobs / 40) << server.Log();
}

TEST(Faults, JobAboveTheWorkerMemoryLimitFailsAloneWithAClearError) {
  ServerProcess server({"--workers", "1", "--max-worker-memory", "64"});
  LineClient client(server.port());
  const auto answer = client.Ask("100000000");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->rfind("ERR out_of_range ", 0), 0u) << *answer;
  EXPECT_NE(answer->find("max_worker_memory"), std::string::npos);
  EXPECT_EQ(client.Ask("1000"), Expected(1000));
  EXPECT_EQ(Counter(AskStats(client), "worker_crashes"), 0u);
}

// The worker's address-space size in bytes, from /proc/PID/status.
std::uint64_t VirtualBytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmSize:", 0) == 0) return std::stoull(line.substr(7)) * 1024;
  }
  return 0;
}

TEST(Faults, WorkerOutOfGmpMemoryAnswersALoggedErrorAndThePoolKeepsServing) {
  if (kSanitized) {
    GTEST_SKIP() << "the sanitizer's allocator (ASan, TSan) reports an exhausted RLIMIT_AS "
                    "itself instead of returning NULL to GMP's memory functions";
  }
  // One worker, no reserve lane: the big job goes to the worker limited here.
  ServerProcess server({"--workers", "1", "--reserve-workers", "0"});
  LineClient client(server.port());
  ASSERT_TRUE(WaitFor([&] { return PoolIsWhole(client, 1); }, 10s));
  const auto pids = server.WorkerPids();
  ASSERT_EQ(pids.size(), 1u);
  const std::uint64_t vm = VirtualBytes(pids[0]);
  ASSERT_GT(vm, 0u);
  // Room to run, not for F(10^8)'s operands (about 70 MiB of them).
  const rlimit limit{vm + (16u << 20), vm + (16u << 20)};
  ASSERT_EQ(::prlimit(pids[0], RLIMIT_AS, &limit, nullptr), 0) << std::strerror(errno);

  const auto answer = client.Ask("100000000", 60s);
  ASSERT_TRUE(answer);
  EXPECT_EQ(*answer, "ERR internal out of memory");
  EXPECT_TRUE(WaitFor([&] { return PoolIsWhole(client, 1, pids); }, 10s));
  EXPECT_EQ(client.Ask("1000"), Expected(1000));
  const auto stats = AskStats(client);
  EXPECT_EQ(Counter(stats, "worker_crashes"), 0u);
  EXPECT_EQ(Counter(stats, "job_retries"), 0u);
  EXPECT_NE(server.Log().find("cause=out_of_memory"), std::string::npos) << server.Log();
  // Every ERR internal is logged with its reason.
  EXPECT_NE(server.Log().find("event=internal_error algorithm=fast n=100000000 flow=127.0.0.1 "
                              "reason=\"out of memory\" suppressed=0"),
            std::string::npos)
      << server.Log();
}

}  // namespace
}  // namespace fibpool::testing
