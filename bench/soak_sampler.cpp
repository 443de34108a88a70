#include "bench/soak_sampler.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "bench/clock.h"

namespace fibpool::bench {

namespace {

constexpr std::chrono::milliseconds kStatsTimeout{2'000};

}  // namespace

ProcessMemory ReadProcessMemory(pid_t pid) {
  ProcessMemory m;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    std::uint64_t* field = line.rfind("VmRSS:", 0) == 0      ? &m.rss
                           : line.rfind("RssAnon:", 0) == 0  ? &m.anon
                           : line.rfind("RssShmem:", 0) == 0 ? &m.shmem
                                                             : nullptr;
    if (field == nullptr) continue;
    std::istringstream fields(line.substr(line.find(':') + 1));
    std::uint64_t kb = 0;
    fields >> kb;
    *field = kb * 1024;
  }
  return m;
}

unsigned CountFds(pid_t pid) {
  std::error_code ec;
  unsigned n = 0;
  for (std::filesystem::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", ec), end;
       !ec && it != end; it.increment(ec)) {
    ++n;
  }
  return n;
}

ShmUse ShmOf(pid_t supervisor) {
  ShmUse use;
  const std::string prefix = "fibpool." + std::to_string(supervisor) + ".";
  std::error_code ec;
  for (std::filesystem::directory_iterator it("/dev/shm", ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    struct stat st {};
    if (::stat(it->path().c_str(), &st) != 0) continue;  // unlinked meanwhile
    ++use.segments;
    use.bytes += static_cast<std::uint64_t>(st.st_blocks) * 512;
  }
  return use;
}

std::uint64_t StartTicks(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  std::getline(in, stat);
  // The command (field 2) is in parentheses and may hold spaces: count from
  // the last ')'.
  const auto paren = stat.rfind(')');
  if (paren == std::string::npos) return 0;
  std::istringstream fields(stat.substr(paren + 2));
  std::string field;
  for (int i = 3; i < 22 && fields >> field; ++i) {
  }
  std::uint64_t ticks = 0;
  fields >> ticks;
  return ticks;
}

void AddProcesses(const std::vector<pid_t>& pids, ProcessSet* set) {
  for (const pid_t p : pids) {
    if (set->count(p)) continue;
    if (const std::uint64_t t = StartTicks(p)) (*set)[p] = t;
  }
}

unsigned StillRunning(const ProcessSet& set) {
  unsigned n = 0;
  for (const auto& [pid, ticks] : set) n += StartTicks(pid) == ticks;
  return n;
}

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
    if (const auto pool = stats_.Ask(kStatsTimeout)) {
      s.workers = static_cast<int>(pool->workers.size());
      s.reserve_workers = static_cast<int>(pool->reserve_workers.size());
      AddProcesses(pool->workers, &workers_seen_);
      AddProcesses(pool->reserve_workers, &workers_seen_);
    }
    samples_.push_back(s);
  }
}

}  // namespace fibpool::bench
