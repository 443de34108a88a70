// Workers killed at random while clients load a fibpool, for the fault tests:
// a kill every `pause`, each one only once the clients have had an answer
// since the last, until `kills` workers died or `deadline` passed.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <thread>
#include <vector>

#include "tests/support/server_process.h"
#include "tests/support/wait.h"

namespace fibpool::testing {

struct KillPlan {
  std::chrono::milliseconds pause;  // between two kills: the fault rate
  int kills;                        // how many workers to kill
  std::chrono::seconds deadline;    // the end, on a machine too busy to get there
};

// Kills (SIGKILL) a random worker of `server` (main or reserve lane) every
// plan.pause, and after each pause waits until `answered()` (the clients'
// count of answers read) has grown: however slow the machine, the pool has
// made progress (and ended any crash-loop back-off) between two kills. The
// run is bounded either way. Returns how many workers it killed.
inline int KillWorkersUnderLoad(const ServerProcess& server,
                                const std::function<std::uint64_t()>& answered,
                                const KillPlan& plan, unsigned seed) {
  std::mt19937 rng(seed);
  int kills = 0;
  const auto end = std::chrono::steady_clock::now() + plan.deadline;
  while (kills < plan.kills && std::chrono::steady_clock::now() < end) {
    const std::vector<pid_t> workers = server.WorkerPids();
    const std::uint64_t before = answered();
    if (!workers.empty() && ::kill(workers[rng() % workers.size()], SIGKILL) == 0) ++kills;
    std::this_thread::sleep_for(plan.pause);  // the fault rate, not synchronisation
    WaitFor([&] { return answered() > before; },
            std::chrono::duration_cast<std::chrono::milliseconds>(
                end - std::chrono::steady_clock::now()));
  }
  return kills;
}

}  // namespace fibpool::testing
