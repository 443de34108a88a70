#include "bench/soak_faults.h"

#include <signal.h>

#include <fstream>
#include <random>
#include <stdexcept>

#include "bench/clock.h"
#include "bench/timeouts.h"

namespace fibpool::bench {

namespace {

using std::chrono::milliseconds;


}  // namespace

void WriteSoakConfig(const std::filesystem::path& path, unsigned workers) {
  const std::filesystem::path tmp = path.string() + ".new";
  {
    std::ofstream out(tmp);
    // job_timeout: an hour, so that no job is refused or timed out for a
    // slow or crowded machine (the soak allows only the errors the faults
    // cause: soak_verdict.h). worker_nice 0: on a shared machine the
    // workers compete with the neighbours' work at its priority, not below
    // it. quarantine_period 1 s (the least): the injector's kills, at least
    // 2 s apart, never put an input in quarantine; with the default
    // 60 s, two kills of a big job (they run for seconds: most kills hit
    // one) would leave it refused for most of a short soak.
    out << "# written by fibpool-bench --scenario soak\nworkers = " << workers
        << "\njob_timeout = 3600\nworker_nice = 0\nquarantine_period = 1\n";
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, path);
}

SoakFaults::SoakFaults(pid_t supervisor, StatsProbe stats, std::filesystem::path config,
                       unsigned workers, const SoakTally& tally)
    : supervisor_(supervisor),
      stats_(std::move(stats)),
      config_(std::move(config)),
      workers_(workers),
      tally_(tally) {}

SoakFaults::~SoakFaults() {
  Stop();
  Join();
}

void SoakFaults::Start() {
  thread_.Start([this](StoppableThread&) { Run(); });
}

void SoakFaults::Run() {
  std::mt19937 rng(7);
  const auto uniform = [&rng](unsigned lo, unsigned hi) {
    return lo + static_cast<unsigned>(rng() % (hi - lo + 1));
  };
  const std::int64_t start = NowNanos();
  std::int64_t next_resize = start + uniform(8'000, 15'000) * 1'000'000LL;
  std::uint64_t answers_at_kill = tally_.answers();
  while (thread_.Wait(milliseconds(uniform(2'000, 5'000)))) {
    if (NowNanos() >= next_resize) {
      unsigned n = uniform(1, 3);
      if (n >= workers_) ++n;  // 1..4, never the current size
      WriteSoakConfig(config_, n);
      ::kill(supervisor_, SIGHUP);
      workers_ = n;
      resizes_.push_back({NanosToSeconds(NowNanos() - start), n});
      ++resizes_count_;
      next_resize = NowNanos() + uniform(8'000, 15'000) * 1'000'000LL;
    }
    // No kill before an answer since the last one.
    while (tally_.answers() == answers_at_kill) {
      if (!thread_.Wait(milliseconds(20))) return;
    }
    const std::optional<PoolView> pool = stats_.Ask(kStatsTimeout);
    if (!pool) continue;
    AddProcesses(pool->workers, &workers_seen_);
    AddProcesses(pool->reserve_workers, &workers_seen_);
    const auto& lane = uniform(0, 4) == 0 && !pool->reserve_workers.empty() ? pool->reserve_workers
                                                                            : pool->workers;
    if (lane.empty()) continue;
    if (::kill(lane[uniform(0, static_cast<unsigned>(lane.size()) - 1)], SIGKILL) == 0) {
      ++kills_;
      answers_at_kill = tally_.answers();
    }
  }
}

}  // namespace fibpool::bench
