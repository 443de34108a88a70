// The worker pool's state as `stats` shows it, for tests that wait on it
// (tests/support/wait.h). Header-only; see tests/support/stats.h for the
// exceptions when `stats` has no answer or a malformed one.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

#include "tests/support/line_client.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"
#include "tests/support/wait.h"

namespace fibpool::testing {

// True when `stats` shows the pool back to full size: `count` live main-lane
// workers (and `count` as the target), none still starting, none of `gone`.
inline bool PoolIsWhole(LineClient& observer, std::size_t count,
                        const std::vector<pid_t>& gone = {}) {
  const auto stats = AskStats(observer);
  const auto workers = WorkersOf(stats);
  if (workers.size() != count || Counter(stats, "workers_target") != count) return false;
  return std::none_of(workers.begin(), workers.end(), [&](const WorkerStat& w) {
    return w.state == "starting" || std::find(gone.begin(), gone.end(), w.pid) != gone.end();
  });
}

// Waits up to `timeout` until `stats` shows a worker busy with a job, other
// than the workers in `other_than`; that worker, or std::nullopt.
inline std::optional<WorkerStat> WaitForBusyWorker(
    LineClient& observer, std::chrono::milliseconds timeout = std::chrono::seconds(20),
    const std::vector<pid_t>& other_than = {}) {
  std::optional<WorkerStat> found;
  WaitFor(
      [&] {
        for (WorkerStat& w : BusyWorkers(AskStats(observer))) {
          if (!w.current_job) continue;
          if (std::find(other_than.begin(), other_than.end(), w.pid) != other_than.end()) continue;
          found = std::move(w);
          return true;
        }
        return false;
      },
      timeout);
  return found;
}

// Starts a drain that cannot end by itself: `client` sends `40 recursive`,
// its worker is stopped (SIGSTOP) once busy, and the server gets SIGTERM;
// returns when `observer` (an idle connection) has been closed by the drain.
// The held worker's pid (SIGCONT lets the drain finish), or std::nullopt
// when no job ran or the drain did not begin.
inline std::optional<pid_t> HoldDrainOpen(ServerProcess& server, LineClient& client,
                                          LineClient& observer) {
  client.Send("40 recursive\n");
  const auto busy = WaitForBusyWorker(observer);
  if (!busy || ::kill(busy->pid, SIGSTOP) != 0) return std::nullopt;
  server.Signal(SIGTERM);
  if (!observer.WaitForClose()) return std::nullopt;
  return busy->pid;
}

}  // namespace fibpool::testing
