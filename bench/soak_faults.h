// The soak's fault injector, on a thread of its own, against the fibpool the
// soak started:
//  - a worker SIGKILLed every 2 to 5 s (a main-lane worker, one time in five
//    the reserve lane's), its pid taken from `stats`; never before an answer
//    since the last kill (as tests/e2e/faults_test.cpp paces it), so that
//    the pool has made progress, and ended any crash-loop back-off, between
//    two kills;
//  - every 8 to 15 s the pool resized: the config file's workers line
//    rewritten (1 to 4, never the current size) and SIGHUP sent.
//
// Lifetime: Start() starts the thread, Stop() ends it within one `stats`
// timeout, Join() waits; the destructor does both. `tally` must outlive it.
// Failure: a `stats` without an answer skips that kill; nothing throws after
// Start().
#pragma once

#include <sys/types.h>

#include <atomic>
#include <filesystem>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "bench/process_probe.h"
#include "bench/soak_stats.h"
#include "bench/soak_tally.h"
#include "bench/stoppable_thread.h"

namespace fibpool::bench {

// Writes the soak's fibpool config (`workers = N` and the soak's fixed
// settings) to `path`: a temporary file renamed over it, so that a SIGHUP
// never reads half a file. Throws std::runtime_error when it cannot.
void WriteSoakConfig(const std::filesystem::path& path, unsigned workers);

class SoakFaults {
 public:
  struct Resize {
    double t_s;  // since Start()
    unsigned workers;
  };

  // `stats`: the connection it asks for worker pids (kept, open, until the
  // SoakFaults is destroyed); `workers`: the pool's size now.
  SoakFaults(pid_t supervisor, StatsProbe stats, std::filesystem::path config, unsigned workers,
             const SoakTally& tally);
  ~SoakFaults();
  SoakFaults(const SoakFaults&) = delete;
  SoakFaults& operator=(const SoakFaults&) = delete;

  void Start();
  void Stop() { thread_.Stop(); }
  void Join() { thread_.Join(); }

  std::uint64_t kills() const { return kills_.load(); }
  std::uint64_t resizes() const { return resizes_count_.load(); }
  // After Join().
  const std::vector<Resize>& resize_log() const { return resizes_; }
  const ProcessSet& workers_seen() const { return workers_seen_; }
  // The size the pool was last resized to.
  unsigned workers() const { return workers_; }

 private:
  void Run();

  pid_t supervisor_;
  StatsProbe stats_;
  std::filesystem::path config_;
  unsigned workers_;
  const SoakTally& tally_;
  std::atomic<std::uint64_t> kills_{0};
  std::atomic<std::uint64_t> resizes_count_{0};
  std::vector<Resize> resizes_;
  ProcessSet workers_seen_;
  StoppableThread thread_;  // last: stopped and joined first
};

}  // namespace fibpool::bench
