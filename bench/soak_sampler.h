// The soak's once-a-second record of the fibpool it started (SoakSample):
// the supervisor's memory (/proc/PID/status: VmRSS, RssAnon, RssShmem), its
// open descriptors (/proc/PID/fd), the /dev/shm bytes of its
// fibpool.<pid>.* segments, its workers (`stats`), and from the clients'
// tally the answers and the tiny jobs' p99 of that second.
//
// Runs on a thread of its own from Start() to Stop(); samples() after
// Join(). The probes below are free functions, usable alone. `tally` must
// outlive the sampler. Failure: a figure it cannot read is 0 (-1 for the
// workers); nothing throws after Start().
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "bench/soak_sample.h"
#include "bench/soak_stats.h"
#include "bench/soak_tally.h"
#include "bench/stoppable_thread.h"

namespace fibpool::bench {

struct ProcessMemory {
  std::uint64_t rss = 0, anon = 0, shmem = 0;  // bytes
};
// /proc/PID/status; zeros when the process is gone.
ProcessMemory ReadProcessMemory(pid_t pid);
// Entries of /proc/PID/fd; 0 when the process is gone.
unsigned CountFds(pid_t pid);

struct ShmUse {
  std::uint64_t bytes = 0;  // allocated (st_blocks), what tmpfs holds
  unsigned segments = 0;
};
// /dev/shm/fibpool.<supervisor>.*
ShmUse ShmOf(pid_t supervisor);

// When `pid` started (field 22 of /proc/PID/stat, clock ticks after boot):
// with the pid, names a process even after its pid is reused. 0 when gone.
std::uint64_t StartTicks(pid_t pid);

// Processes by pid and StartTicks: the workers the soak has seen.
using ProcessSet = std::map<pid_t, std::uint64_t>;
// Adds `pids` (those still running) to `set`.
void AddProcesses(const std::vector<pid_t>& pids, ProcessSet* set);
// How many of `set` still run (same pid, same start).
unsigned StillRunning(const ProcessSet& set);

class SoakSampler {
 public:
  // `stats`: the connection it asks `stats` on (kept, open, until the
  // sampler is destroyed); `faults()` gives the kills and resizes so far.
  SoakSampler(pid_t supervisor, StatsProbe stats, SoakTally& tally,
              std::function<std::pair<std::uint64_t, std::uint64_t>()> faults);
  ~SoakSampler();
  SoakSampler(const SoakSampler&) = delete;
  SoakSampler& operator=(const SoakSampler&) = delete;

  // Samples every second from `start_ns` (NowNanos()) on.
  void Start(std::int64_t start_ns);
  // Samples from now on are marked taken after the load (SoakSample::load).
  void LoadStopped() { load_.store(false); }
  void Stop() { thread_.Stop(); }
  void Join() { thread_.Join(); }

  // After Join().
  const std::vector<SoakSample>& samples() const { return samples_; }
  const ProcessSet& workers_seen() const { return workers_seen_; }

 private:
  void Run(std::int64_t start_ns);

  pid_t supervisor_;
  StatsProbe stats_;
  SoakTally& tally_;
  std::function<std::pair<std::uint64_t, std::uint64_t>()> faults_;
  std::atomic<bool> load_{true};
  std::vector<SoakSample> samples_;
  ProcessSet workers_seen_;
  StoppableThread thread_;  // last: stopped and joined first
};

}  // namespace fibpool::bench
