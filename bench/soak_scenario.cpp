#include "bench/soak_scenario.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>

#include "bench/child_server.h"
#include "bench/clock.h"
#include "bench/figure_text.h"
#include "bench/process_probe.h"
#include "bench/soak_load.h"
#include "bench/soak_sampler.h"
#include "bench/soak_socket.h"
#include "bench/soak_stats.h"
#include "bench/timeouts.h"
#include "tests/support/wait.h"

extern char** environ;

namespace fibpool::bench {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A soak pool starts more workers than the other scenarios' pools.
constexpr milliseconds kSoakStartTimeout{30'000};
constexpr milliseconds kPoolSettles{60'000};  // a resize, or a respawn back-off
constexpr milliseconds kRestSettles{30'000};  // connections closed, buffers unlinked
constexpr milliseconds kStopGrace{30'000};    // SIGTERM to exit
constexpr milliseconds kProgressEvery{30'000};

// The soak's fibpool takes its settings from its config file alone.
void DropFibpoolEnvironment() {
  std::vector<std::string> names;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string var = *e;
    if (var.rfind("FIBPOOL_", 0) == 0) names.push_back(var.substr(0, var.find('=')));
  }
  for (const auto& name : names) ::unsetenv(name.c_str());
}

// True when `stats` shows `workers` main-lane workers, none starting.
bool PoolIsWhole(StatsProbe& stats, unsigned workers) {
  const auto pool = stats.Ask(kStatsTimeout);
  return pool && !pool->starting && pool->workers_target == workers &&
         pool->workers.size() == workers && !pool->reserve_workers.empty();
}

// The supervisor at rest, once its descriptors and /dev/shm stopped moving
// (the same figures over 1 s; the server closes connections asynchronously)
// and, if given, `good` holds; the last figures when `timeout` passes first.
AtRest SettledRest(pid_t pid, milliseconds timeout,
                   const std::function<bool(const AtRest&)>& good) {
  AtRest last{CountFds(pid), ShmOf(pid).bytes, ShmOf(pid).segments};
  std::int64_t same_since = NowNanos();
  testing::WaitFor(
      [&] {
        const ShmUse shm = ShmOf(pid);
        const AtRest now{CountFds(pid), shm.bytes, shm.segments};
        if (now.fds != last.fds || now.shm_bytes != last.shm_bytes ||
            now.shm_segments != last.shm_segments) {
          same_since = NowNanos();
        }
        last = now;
        return NowNanos() - same_since >= 1'000'000'000 && (!good || good(now));
      },
      timeout);
  return last;
}

// Warm-up on one connection: every path the load takes once, so that the
// supervisor's lazily made descriptors exist before it is measured at rest.
bool WarmUp(const boost::asio::ip::tcp::endpoint& endpoint, const SoakExpected& expected) {
  SoakSocket s;
  if (s.Connect(endpoint) != IoStatus::kOk) return false;
  const std::int64_t deadline = NowNanos() + 120'000'000'000LL;
  std::string line;
  if (s.Send("20\n30 recursive\nping\n10000000 fast\n", deadline) != IoStatus::kOk) return false;
  for (const std::string& want : {expected.small[20], expected.small[30], std::string("pong")}) {
    if (s.ReadLine(&line, deadline) != IoStatus::kOk || line != want) return false;
  }
  if (s.ReadLine(&line, deadline, 1 << 30) != IoStatus::kOk) return false;
  return DigestOf(line) == expected.f1e7;
}

}  // namespace

SoakScenario::SoakScenario(SoakOptions options, std::function<void(const std::string&)> progress)
    : options_(std::move(options)), progress_(std::move(progress)) {}

SoakResult SoakScenario::Run() {
  SoakResult r;
  r.limits = options_.limits;
  progress_("soak: computing F(0..93), F(10^7) and F(10^8) to check the answers");
  std::int64_t t = NowNanos();
  const SoakExpected expected = SoakExpected::Compute();
  r.expected_seconds = NanosToSeconds(NowNanos() - t);

  // The config file, in a directory of the soak's own.
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("fibpool-soak." + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path config = dir / "fibpool.conf";
  struct RemoveDir {
    std::filesystem::path dir;
    ~RemoveDir() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } remove_dir{dir};
  WriteSoakConfig(config, options_.workers);
  DropFibpoolEnvironment();
  std::vector<std::string> argv = {options_.fibpool_path.string(),
                                   "--host",
                                   "127.0.0.1",
                                   "--port",
                                   "0",
                                   "--log-level",
                                   "warn",
                                   "--config",
                                   config.string()};
  argv.insert(argv.end(), options_.fibpool_args.begin(), options_.fibpool_args.end());
  for (const auto& a : argv) r.fibpool_command += (r.fibpool_command.empty() ? "" : " ") + a;

  ChildServer server;
  try {
    server = ChildServer::Start(argv, kSoakStartTimeout);
  } catch (const std::exception& e) {
    r.failure = e.what();
    return r;
  }
  r.ready_line = server.ready_line();
  const pid_t pid = server.pid();
  const auto endpoint = server.endpoint();

  // At rest before the load: the stats connections of the scenario, the
  // sampler and the fault injector open, the warm-up done, the pool whole.
  StatsProbe stats(endpoint), sampler_stats(endpoint), faults_stats(endpoint);
  if (!WarmUp(endpoint, expected)) r.failure = "the warm-up requests were not answered right";
  sampler_stats.Ask(kStatsTimeout);
  faults_stats.Ask(kStatsTimeout);
  if (!testing::WaitFor([&] { return PoolIsWhole(stats, options_.workers); }, kPoolSettles))
    r.failure = "the pool was not whole after the warm-up";
  if (!r.failure.empty()) return r;
  r.end.before = SettledRest(pid, kRestSettles, nullptr);
  progress_("soak: fibpool at rest: " + std::to_string(r.end.before.fds) + " descriptors, " +
            std::to_string(r.end.before.shm_segments) + " segments (" +
            std::to_string(r.end.before.shm_bytes) + " B) in /dev/shm; load for " +
            std::to_string(options_.duration.count()) + " s");

  SoakTally tally;
  SoakFaults faults(pid, std::move(faults_stats), config, options_.workers, tally);
  SoakSampler sampler(pid, std::move(sampler_stats), tally,
                      [&faults] { return std::make_pair(faults.kills(), faults.resizes()); });
  SoakLoad load(endpoint, expected, &tally);
  const std::int64_t start = NowNanos();
  sampler.Start(start);
  load.Start();
  faults.Start();
  const std::int64_t end = start + options_.duration.count() * 1'000'000'000LL;
  for (std::int64_t next = start + kProgressEvery.count() * 1'000'000; NowNanos() < end;) {
    std::this_thread::sleep_until(SteadyAt(std::min(next, end)));  // the run's length
    if (NowNanos() < next) continue;
    next += kProgressEvery.count() * 1'000'000;
    const KindCounts c = tally.Total();
    progress_("soak: " + std::to_string((NowNanos() - start) / 1'000'000'000) +
              " s: " + std::to_string(c.requests) + " requests, wrong " + std::to_string(c.wrong) +
              ", lost " + std::to_string(c.lost) + ", worker_crashed " + std::to_string(c.crashed) +
              ", busy " + std::to_string(c.busy) + "; " + std::to_string(faults.kills()) +
              " kills, " + std::to_string(faults.resizes()) + " resizes; RSS " +
              Mib(static_cast<double>(ReadProcessMemory(pid).rss)) + ", " +
              std::to_string(CountFds(pid)) + " fds");
  }
  progress_("soak: load stopping (each client finishes its request)");
  faults.Stop();
  load.Stop();
  faults.Join();
  load.Join();
  r.load_seconds = NanosToSeconds(NowNanos() - start);
  sampler.LoadStopped();

  // At rest after the load: the pool back to its start size.
  WriteSoakConfig(config, options_.workers);
  ::kill(pid, SIGHUP);
  if (!testing::WaitFor([&] { return PoolIsWhole(stats, options_.workers); }, kPoolSettles))
    progress_("soak: the pool did not come back to " + std::to_string(options_.workers) +
              " workers");
  r.end.after = SettledRest(pid, kRestSettles, [&](const AtRest& now) {
    return now.fds <= r.end.before.fds + options_.limits.fd_tolerance &&
           now.shm_bytes == r.end.before.shm_bytes && now.shm_segments == r.end.before.shm_segments;
  });
  sampler.Stop();
  sampler.Join();

  // SIGTERM, then what is left.
  ProcessSet workers = sampler.workers_seen();
  workers.insert(faults.workers_seen().begin(), faults.workers_seen().end());
  if (const auto pool = stats.Ask(kStatsTimeout)) {
    AddProcesses(pool->workers, &workers);
    AddProcesses(pool->reserve_workers, &workers);
  }
  r.workers_seen = workers.size();
  r.end.exit_status = server.Stop(kStopGrace);
  r.end.segments_after_stop = ShmOf(pid).segments;
  testing::WaitFor([&] { return StillRunning(workers) == 0; }, milliseconds(5'000));
  r.end.workers_after_stop = StillRunning(workers);

  r.counts = tally.Counts();
  r.total = tally.Total();
  r.problems = tally.Problems();
  r.samples = sampler.samples();
  r.resizes = faults.resize_log();
  r.kills = faults.kills();
  r.drift = JudgeDrift(r.samples, r.end, r.limits);
  return r;
}

}  // namespace fibpool::bench
