// The soak's once-a-second record of the fibpool it started (SoakSample):
// the supervisor's memory (/proc/PID/status: VmRSS, RssAnon, RssShmem), its
// open descriptors (/proc/PID/fd), the /dev/shm bytes of its
// fibpool.<pid>.* segments, its workers (`stats`), and from the clients'
// tally the answers and the tiny jobs' p99 of that second.
//
// Runs on a thread of its own from Start() to Stop(); samples() after
// Join(); it reads the supervisor with bench/process_probe.h. `tally` must
// outlive the sampler. Failure: a figure it cannot read is 0 (-1 for the
// workers); nothing throws after Start().
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "bench/process_probe.h"
#include "bench/soak_sample.h"
#include "bench/soak_stats.h"
#include "bench/soak_tally.h"
#include "bench/stoppable_thread.h"

namespace fibpool::bench {

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
