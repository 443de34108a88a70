// fibpool-bench: drives fibpool over TCP and compares it, scenario by
// scenario, with the in-process baseline (fibpool-baseline, one event loop)
// and, in the load scenarios, with the per-core baseline (fibpool-baseline
// with one event loop per CPU). See
// BENCHMARKS.md for what it measures and how to read the output.
//
// Prints progress on stderr when it is a terminal (which scenario, about how
// long is left), the Markdown report on stdout; --json FILE
// writes the same results as JSON. Exit status: 0 when every answer was
// right and every request answered (targets missed or not); 1 otherwise;
// 2 for a usage error. `--scenario soak` runs the soak alone
// (bench/soak_scenario.h): its own report, and exit status 1 also when
// something drifted.
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/algorithm/string.hpp>
#include <boost/program_options.hpp>

#include "bench/bench_servers.h"
#include "bench/child_server.h"
#include "bench/command_line.h"
#include "bench/report.h"
#include "bench/scenario_registry.h"
#include "bench/soak_report.h"
#include "bench/soak_scenario.h"
#include "bench/usable_cpus.h"

namespace {

namespace fs = std::filesystem;
using fibpool::bench::BenchOptions;

std::string FirstLine(const std::string& path, const std::string& key = "") {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (key.empty() || line.rfind(key, 0) == 0) {
      const auto colon = key.empty() ? std::string::npos : line.find(':');
      return colon == std::string::npos ? line : boost::trim_copy(line.substr(colon + 1));
    }
  }
  return "?";
}

std::string UtcNow() {
  const std::time_t t = std::time(nullptr);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&t));
  return buf;
}

std::string Command(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) s += ' ';
    s += argv[i];
  }
  return s;
}

// --scenario soak: the soak's own report on stdout (and JSON); 1 when an
// answer was wrong or lost or something drifted.
int RunSoak(const BenchOptions& options, const std::string& fibpool_path, unsigned duration_s,
            const std::string& json_path, int argc, char** argv) {
  fibpool::bench::SoakOptions soak;
  soak.duration = std::chrono::seconds(duration_s);
  soak.fibpool_path = fibpool_path;
  soak.fibpool_args = options.fibpool_args;
  soak.workers = options.workers;
  fibpool::bench::SoakReportContext context;
  context.command = Command(argc, argv);
  context.duration_s = duration_s;
  utsname u{};
  ::uname(&u);
  context.conditions.push_back("started " + UtcNow() + "; " +
                               std::to_string(fibpool::bench::UsableCpus()) + " usable CPUs (" +
                               FirstLine("/proc/cpuinfo", "model name") + "), Linux " + u.release);
  const std::string load_before = FirstLine("/proc/loadavg");
  const bool verbose = options.verbose;
  try {
    const fibpool::bench::SoakResult result =
        fibpool::bench::SoakScenario(soak, [verbose](const std::string& line) {
          if (verbose) std::cerr << "[fibpool-bench] " << line << std::endl;
        }).Run();
    context.conditions.push_back(
        "load average (1/5/15 min, runnable/total) before: " + load_before +
        "; after: " + FirstLine("/proc/loadavg") + "; finished " + UtcNow());
    std::cout << fibpool::bench::SoakMarkdown(result, context) << std::flush;
    if (!json_path.empty()) {
      std::ofstream out(json_path);
      out << fibpool::bench::SoakJson(result, context);
      if (!out) {
        std::cerr << "fibpool-bench: could not write " << json_path << "\n";
        return 1;
      }
    }
    return result.ok() ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "fibpool-bench: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  namespace po = boost::program_options;
  std::signal(SIGPIPE, SIG_IGN);
  const fs::path here = fs::read_symlink("/proc/self/exe").parent_path();

  BenchOptions options;
  std::vector<std::string> scenarios;
  std::string target;
  std::string json_path;
  std::string fibpool_path = (here / "fibpool").string();
  std::string baseline_path = (here / "fibpool-baseline").string();
  std::string minimal_path = (here / "fibpool-minimal").string();
  // The command line's defaults are BenchOptions'.
  const auto ms = [](std::chrono::milliseconds d) { return static_cast<unsigned>(d.count()); };
  unsigned slice_ms = ms(options.slice), warmup_ms = ms(options.warmup);
  unsigned busy_window_ms = ms(options.busy_window), stall_cap_ms = ms(options.baseline_stall_cap);
  unsigned timeline_window_ms = ms(options.timeline_window);
  unsigned articles_window_ms = ms(options.articles_window);
  unsigned noisy_phase_ms = ms(options.noisy_phase);
  unsigned noisy_tiny_pause_ms = ms(options.noisy_tiny_pause);
  unsigned admission_phase_ms = ms(options.admission_phase);
  unsigned admission_max_wait_ms = ms(options.admission_max_wait);
  // The articles' Python servers and clients, beside this file in the source tree.
  options.python = ::access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "";
  options.python_server = fs::path(FIBPOOL_BENCH_SOURCE_DIR) / "py_server.py";
  options.articles_dir = fs::path(FIBPOOL_BENCH_SOURCE_DIR) / "articles";
  std::string caption =
      "fibpool-bench: load fibpool and in-process baselines (one event loop, and one per CPU),\n"
      "check every answer, compare\n";
  caption += fibpool::bench::ScenarioHelp();
  caption +=
      "\nsoak: alone, --duration S of mixed load with worker kills and resizes; checks that "
      "nothing drifts (not in 'all').\nOptions";
  po::options_description desc(caption);
  auto add = desc.add_options();
  add("help", "this text");
  add("scenario", po::value(&scenarios)->composing(),
      "scenario ids or groups, repeatable or comma-separated (default: all)");
  add("target", po::value(&target),
      "HOST:PORT of a running fibpool (default: start the build's fibpool --port 0)");
  add("fibpool", po::value(&fibpool_path)->default_value(fibpool_path), "fibpool executable");
  add("baseline", po::value(&baseline_path)->default_value(baseline_path),
      "fibpool-baseline executable");
  add("minimal", po::value(&minimal_path)->default_value(minimal_path),
      "fibpool-minimal executable (the load scenarios' physical-limit reference)");
  add("workers", po::value(&options.workers)->default_value(options.workers),
      "--workers for the fibpool the bench starts (and big jobs in the busy scenario)");
  add("fibpool-arg", po::value(&options.fibpool_args)->composing(),
      "extra argument for that fibpool, repeatable (e.g. --fibpool-arg=--worker-spin-us=200)");
  add("slice-ms", po::value(&slice_ms)->default_value(slice_ms),
      "measured window of each load slice");
  add("warmup-ms", po::value(&warmup_ms)->default_value(warmup_ms), "warm-up before each window");
  add("rounds", po::value(&options.rounds)->default_value(options.rounds),
      "slices per target in each load scenario (alternating targets, the order reversed every "
      "round)");
  add("busy-job", po::value(&options.busy_job)->default_value(options.busy_job),
      "big job of the busy scenario: 'N recursive' or 'N fast'");
  add("busy-window-ms", po::value(&busy_window_ms)->default_value(busy_window_ms),
      "measured window of the busy scenario");
  add("baseline-stall-cap-ms", po::value(&stall_cap_ms)->default_value(stall_cap_ms),
      "busy scenario: how long to wait for the stalled baseline after the window");
  add("timeline-job", po::value(&options.timeline_job)->default_value(options.timeline_job),
      "big job of the timeline scenario, one per worker: 'N recursive' or 'N fast'");
  add("timeline-window-ms", po::value(&timeline_window_ms)->default_value(timeline_window_ms),
      "length of the timeline scenario's run");
  add("python", po::value(&options.python)->default_value(options.python),
      "Python 3 for the timeline scenario's Python servers (bench/py_server.py) and the articles "
      "scenario's clients (bench/articles/); '' to skip them");
  add("python-timeline-job",
      po::value(&options.python_timeline_job)->default_value(options.python_timeline_job),
      "the Python servers' big job in the timeline scenario");
  add("articles-window-ms", po::value(&articles_window_ms)->default_value(articles_window_ms),
      "articles scenario: how long perf2.py runs after its first count in each phase (at most, "
      "while the big job, --busy-job, runs)");
  add("noisy-job", po::value(&options.noisy_job)->default_value(options.noisy_job),
      "the noisy-neighbour scenario's big job, A's and B's: 'N fast' or 'N recursive'");
  add("noisy-queued", po::value(&options.noisy_queued)->default_value(options.noisy_queued),
      "how many of them A keeps queued (on 2 connections; rounded up to even)");
  add("noisy-phase-ms", po::value(&noisy_phase_ms)->default_value(noisy_phase_ms),
      "length of each of the noisy-neighbour scenario's 4 phases (A alone, B's big jobs, B's tiny "
      "jobs, A alone)");
  add("noisy-tiny-pause-ms", po::value(&noisy_tiny_pause_ms)->default_value(noisy_tiny_pause_ms),
      "noisy neighbour: B's pause between one tiny job's answer and the next");
  add("admission-job", po::value(&options.admission_job)->default_value(options.admission_job),
      "the admission scenario's job: 'N fast' or 'N recursive'");
  add("admission-clients",
      po::value(&options.admission_clients)->default_value(options.admission_clients),
      "admission: clients, one connection each from its own address 127.0.0.11, .12, ... (at "
      "most 200)");
  add("admission-depth",
      po::value(&options.admission_depth)->default_value(options.admission_depth),
      "admission: jobs each client keeps outstanding (pipelined when more than 1)");
  add("admission-phase-ms", po::value(&admission_phase_ms)->default_value(admission_phase_ms),
      "admission: how long the clients send in each of the 2 phases (max_wait off, then on)");
  add("admission-max-wait-ms",
      po::value(&admission_max_wait_ms)->default_value(admission_max_wait_ms),
      "admission: fibpool's max_wait in the second phase");
  add("big-runs", po::value(&options.big_runs)->default_value(options.big_runs),
      "runs per target of each big-result scenario");
  add("quick",
      "short smoke run: 400 ms slices, 1 big run, 2 s noisy-neighbour, 4 s admission and 2 s "
      "articles phases");
  add("baseline-threads",
      po::value(&options.baseline_threads)->default_value(options.baseline_threads),
      "event loops of the per-core baseline and of fibpool-minimal (--threads; 0: one per usable "
      "CPU)");
  add("only", po::value(&options.only),
      "run just one target, 'fibpool', 'baseline', 'per-core' or 'minimal' (to profile it; no "
      "ratios then)");
  unsigned soak_duration_s = 600;
  add("duration", po::value(&soak_duration_s)->default_value(soak_duration_s),
      "soak: seconds of load");
  add("json", po::value(&json_path), "also write the results as JSON to this file");
  add("quiet", "no progress on stderr (there is none when stderr is not a terminal)");
  try {
    const auto vm = fibpool::bench::ParseCommandLine(argc, argv, desc);
    if (!vm) return 0;  // --help
    if (vm->count("quick")) {
      slice_ms = 400;
      warmup_ms = 100;
      busy_window_ms = 800;
      options.big_runs = 1;
      noisy_phase_ms = 2000;
      admission_phase_ms = 4000;
      articles_window_ms = 2000;
    }
    // Progress is for people watching: none in CI logs or redirected runs.
    options.verbose = !vm->count("quiet") && ::isatty(STDERR_FILENO) == 1;
    for (const auto& s : scenarios) {
      std::vector<std::string> parts;
      boost::split(parts, s, boost::is_any_of(","), boost::token_compress_on);
      for (auto& p : parts) {
        if (!p.empty()) options.scenarios.push_back(p);
      }
    }
    const bool soak = std::find(options.scenarios.begin(), options.scenarios.end(), "soak") !=
                      options.scenarios.end();
    if (soak && (options.scenarios.size() > 1 || !target.empty() || soak_duration_s == 0)) {
      throw std::invalid_argument(
          "--scenario soak runs alone, on a fibpool of its own, for --duration >= 1");
    }
    if (soak) return RunSoak(options, fibpool_path, soak_duration_s, json_path, argc, argv);
    fibpool::bench::SelectScenarios(options.scenarios);  // validates the names
    if (options.noisy_queued == 0 || noisy_phase_ms == 0) {
      throw std::invalid_argument("--noisy-queued and --noisy-phase-ms want at least 1");
    }
    if (options.admission_clients == 0 || options.admission_clients > 200 ||
        options.admission_depth == 0 || admission_phase_ms == 0 || admission_max_wait_ms == 0) {
      throw std::invalid_argument(
          "--admission-clients wants 1 to 200; --admission-depth, --admission-phase-ms and "
          "--admission-max-wait-ms at least 1");
    }
    if (articles_window_ms < 1000) {
      throw std::invalid_argument("--articles-window-ms wants at least 1000 (perf2 counts each second)");
    }
    if (!options.only.empty() && options.only != "fibpool" && options.only != "baseline" &&
        options.only != "per-core" && options.only != "minimal") {
      throw std::invalid_argument("--only wants fibpool, baseline, per-core or minimal");
    }
    if (!target.empty()) {
      boost::asio::ip::tcp::endpoint endpoint;
      unsigned ignored = 0;
      if (!fibpool::bench::ParseReadyLine("listening on " + target, &endpoint, &ignored)) {
        throw std::invalid_argument("--target wants HOST:PORT, got '" + target + "'");
      }
      options.target = endpoint;
    }
  } catch (const std::exception& e) {
    std::cerr << "fibpool-bench: " << e.what() << "\n(see fibpool-bench --help)\n";
    return 2;
  }
  options.fibpool_path = fibpool_path;
  options.baseline_path = baseline_path;
  options.minimal_path = minimal_path;
  options.slice = std::chrono::milliseconds(slice_ms);
  options.warmup = std::chrono::milliseconds(warmup_ms);
  options.busy_window = std::chrono::milliseconds(busy_window_ms);
  options.timeline_window = std::chrono::milliseconds(timeline_window_ms);
  options.articles_window = std::chrono::milliseconds(articles_window_ms);
  options.baseline_stall_cap = std::chrono::milliseconds(stall_cap_ms);
  options.noisy_phase = std::chrono::milliseconds(noisy_phase_ms);
  options.noisy_tiny_pause = std::chrono::milliseconds(noisy_tiny_pause_ms);
  options.admission_phase = std::chrono::milliseconds(admission_phase_ms);
  options.admission_max_wait = std::chrono::milliseconds(admission_max_wait_ms);

  try {
    fibpool::bench::ReportContext context;
    context.command = Command(argc, argv);
    utsname u{};
    ::uname(&u);
    context.conditions.push_back(
        "started " + UtcNow() + "; " + std::to_string(fibpool::bench::UsableCpus()) +
        " usable CPUs (" + FirstLine("/proc/cpuinfo", "model name") + "), Linux " + u.release);
    const std::string load_before = FirstLine("/proc/loadavg");

    fibpool::bench::BenchServers servers(options);
    context.fibpool = servers.FibpoolDescription();
    context.baseline = servers.BaselineDescription();
    context.per_core = servers.PerCoreDescription();
    context.minimal = servers.MinimalDescription();
    context.workers = options.workers;
    auto results = fibpool::bench::RunScenarios(servers);
    context.estimate_errors = servers.EstimateErrors();
    context.conditions.push_back(
        "load average (1/5/15 min, runnable/total) before: " + load_before +
        "; after: " + FirstLine("/proc/loadavg") + "; finished " + UtcNow());

    const fibpool::bench::Report report(std::move(results), context);
    std::cout << report.Markdown() << std::flush;
    if (!json_path.empty()) {
      std::ofstream out(json_path);
      out << report.Json();
      if (!out) {
        std::cerr << "fibpool-bench: could not write " << json_path << "\n";
        return 1;
      }
    }
    return report.Problems().empty() ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "fibpool-bench: " << e.what() << "\n";
    return 1;
  }
}
