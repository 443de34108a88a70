#include "bench/soak_sampler.h"

#include "bench/clock.h"

namespace fibpool::bench {

namespace {

constexpr std::chrono::milliseconds kSampleTimeout{2'000};

}  // namespace

SoakSampler::SoakSampler(pid_t supervisor, StatsProbe stats, SoakTally& tally,
                         std::function<std::pair<std::uint64_t, std::uint64_t>()> faults)
    : supervisor_(supervisor),
      stats_(std::move(stats)),
      tally_(tally),
      faults_(std::move(faults)) {}

SoakSampler::~SoakSampler() {
  Stop();
  Join();
}

void SoakSampler::Start(std::int64_t start_ns) {
  thread_.Start([this, start_ns](StoppableThread&) { Run(start_ns); });
}

void SoakSampler::Run(std::int64_t start_ns) {
  std::uint64_t answers = tally_.answers();
  for (std::int64_t k = 1;; ++k) {
    if (!thread_.WaitUntil(SteadyAt(start_ns + k * 1'000'000'000))) return;
    SoakSample s;
    s.t_s = NanosToSeconds(NowNanos() - start_ns);
    s.load = load_.load();
    const ProcessMemory m = ReadProcessMemory(supervisor_);
    s.rss_bytes = m.rss;
    s.rss_anon_bytes = m.anon;
    s.rss_shmem_bytes = m.shmem;
    s.fds = CountFds(supervisor_);
    const ShmUse shm = ShmOf(supervisor_);
    s.shm_bytes = shm.bytes;
    s.shm_segments = shm.segments;
    const std::vector<double> tiny = tally_.TakeTinyLatencies();
    s.tiny_answers = tiny.size();
    s.tiny_p99_us = NearestRank(tiny, 0.99);
    const std::uint64_t now_answers = tally_.answers();
    s.answers = now_answers - answers;
    answers = now_answers;
    std::tie(s.kills, s.resizes) = faults_();
    if (const auto pool = stats_.Ask(kSampleTimeout)) {
      s.workers = static_cast<int>(pool->workers.size());
      s.reserve_workers = static_cast<int>(pool->reserve_workers.size());
      AddProcesses(pool->workers, &workers_seen_);
      AddProcesses(pool->reserve_workers, &workers_seen_);
    }
    samples_.push_back(s);
  }
}

}  // namespace fibpool::bench
