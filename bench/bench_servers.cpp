#include "bench/bench_servers.h"

#include <cstdio>

#include "bench/accumulate.h"
#include "bench/figure_text.h"
#include "bench/load_run.h"
#include "bench/process_cpu.h"
#include "bench/timeouts.h"

namespace fibpool::bench {

std::string Describe(const ChildServer& server) {
  std::string cmd;
  for (const auto& a : server.argv()) cmd += (cmd.empty() ? "" : " ") + a;
  return "`" + cmd + "` (" + server.ready_line() + ")";
}

std::vector<std::string> FibpoolCommand(const BenchOptions& options) {
  std::vector<std::string> argv = {
      options.fibpool_path.string(),   "--host",      "127.0.0.1", "--port", "0", "--workers",
      std::to_string(options.workers), "--log-level", "warn"};
  argv.insert(argv.end(), options.fibpool_args.begin(), options.fibpool_args.end());
  return argv;
}

std::vector<std::string> PerCpuCommand(const std::filesystem::path& path,
                                       const BenchOptions& options) {
  return {path.string(), "--port", "0", "--threads", std::to_string(options.baseline_threads)};
}

std::string ProgressSummary(const Figures& f) {
  const auto s = f.latency.Summarize();
  return Fixed(f.rate(), 0) + " req/s, p50 " + Fixed(s.p50.us, 0) + " us, p99 " +
         Fixed(s.p99.us, 0) + " us, answered " + std::to_string(f.answered) + ", wrong " +
         std::to_string(f.wrong) + ", unanswered " + std::to_string(f.unanswered);
}

BenchServers::BenchServers(BenchOptions options) : options_(std::move(options)) {
  baseline_ = ChildServer::Start({options_.baseline_path.string(), "--port", "0"}, kStartTimeout);
  baseline_target_ = Target{"baseline", &baseline_, baseline_.endpoint()};
  // The servers with one loop per CPU, unless --only leaves them out.
  const auto start_per_cpu = [this](const std::filesystem::path& path, const char* label,
                                    ChildServer& server, Target& target) {
    target.label = label;
    if (!Runs(target)) return;
    server = ChildServer::Start(PerCpuCommand(path, options_), kStartTimeout);
    target = Target{label, &server, server.endpoint()};
  };
  start_per_cpu(options_.baseline_path, "per-core", per_core_, per_core_target_);
  start_per_cpu(options_.minimal_path, "minimal", minimal_, minimal_target_);
  if (options_.target) {
    fibpool_target_ = Target{"fibpool", nullptr, *options_.target};
    workers_ = options_.workers;
  } else {
    fibpool_ = ChildServer::Start(FibpoolCommand(options_), kStartTimeout);
    fibpool_target_ = Target{"fibpool", &fibpool_, fibpool_.endpoint()};
    workers_ = fibpool_.workers() ? fibpool_.workers() : options_.workers;
  }
  Progress("fibpool: " + FibpoolDescription());
  Progress("baseline: " + BaselineDescription());
  Progress("per-core baseline: " + PerCoreDescription());
  Progress("minimal reference: " + MinimalDescription());
}

BenchServers::~BenchServers() {
  fibpool_.Stop();
  baseline_.Stop();
  per_core_.Stop();
  minimal_.Stop();
}

std::string BenchServers::FibpoolDescription() const {
  if (!fibpool_.running()) {
    return "running at " + fibpool_target_.endpoint.address().to_string() + ":" +
           std::to_string(fibpool_target_.endpoint.port()) + " (--target), assumed " +
           std::to_string(workers_) + " workers";
  }
  return Describe(fibpool_);
}

std::string BenchServers::BaselineDescription() const { return Describe(baseline_); }

std::string BenchServers::PerCoreDescription() const {
  return per_core_.running() ? Describe(per_core_) : "not run (--only " + options_.only + ")";
}

std::string BenchServers::MinimalDescription() const {
  return minimal_.running() ? Describe(minimal_) : "not run (--only " + options_.only + ")";
}

std::vector<EstimateError> BenchServers::EstimateErrors() const {
  if (!Runs(fibpool_target_)) return {};
  return AskEstimateErrors(fibpool_target_.endpoint, kStatsTimeout);
}

void BenchServers::Progress(const std::string& line) const {
  if (options_.verbose) std::fprintf(stderr, "[fibpool-bench] %s\n", line.c_str());
}

bool BenchServers::Runs(const Target& target) const {
  return options_.only.empty() || options_.only == target.label;
}

void BenchServers::RestartBaseline() {
  const std::vector<std::string> argv = baseline_.argv();
  baseline_.Kill();
  baseline_ = ChildServer::Start(argv, kStartTimeout);
  baseline_target_.endpoint = baseline_.endpoint();
}

RunResult BenchServers::RunSlice(Target& target, RunSpec spec, Figures* main, Figures* background) {
  spec.target = target.endpoint;
  const pid_t pid = target.process ? target.process->pid() : -1;
  const CpuTimes before = ReadCpuTimes(pid);
  RunResult r = LoadRun(std::move(spec)).Run();
  const CpuTimes after = ReadCpuTimes(pid);
  if (!r.failure.empty()) {
    if (main->first_error.empty()) main->first_error = r.failure;
    Progress(target.label + ": " + r.failure);
    return r;
  }
  Accumulate(main, r.groups.back(), r);
  if (background && r.groups.size() > 1) Accumulate(background, r.groups.front(), r);
  // With background jobs (busy), the CPU goes mostly to them: count it there.
  AccumulateCpu(background && r.groups.size() > 1 ? background : main, before, after, r, pid > 0);
  return r;
}

}  // namespace fibpool::bench
