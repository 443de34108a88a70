#include "bench/scenario_runner.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <stdexcept>

#include "bench/accumulate.h"
#include "bench/admission_scenario.h"
#include "bench/clock.h"
#include "bench/completion_rate.h"
#include "bench/figure_text.h"
#include "bench/load_run.h"
#include "bench/process_cpu.h"
#include "bench/timeouts.h"
#include "worker/fibonacci.h"

namespace fibpool::bench {

namespace {

using std::chrono::milliseconds;

// How long fibpool may take to answer `stats` at the end of a run.
// Tiny requests of the busy scenario start this long after the big jobs.
constexpr milliseconds kBusyTinyDelay{100};
// fibpool must answer its big jobs; fibpool's own job timeout bounds them.
constexpr milliseconds kBusyFibpoolDrainCap{60'000};
constexpr milliseconds kBigRunCap{180'000};
// The timeline scenario: answers counted per bucket; the big jobs start this
// long into the run, after a stretch of tiny requests alone.
constexpr milliseconds kTimelineBucket{100};
constexpr milliseconds kTimelineBigStart{1'000};
// The noisy-neighbour scenario: A's backlog settles at least this long, and
// at least two of B's service times, before the first phase (so that the
// phase starts after A's first answers: on a loaded host a job takes
// seconds); A uses this many connections (from one address: one flow,
// however many); B connects from another loopback address, a client of its
// own; B's service time is measured over this many jobs per connection.
constexpr milliseconds kNoisyWarmup{500};
constexpr unsigned kNoisyConnections = 2;
constexpr const char* kNeighbourSource = "127.0.0.2";
constexpr unsigned kServiceRuns = 3;
// About how long one F(10^7) takes on the reference machine, for the
// progress lines' estimate.
constexpr milliseconds kNoisyJobEstimate{300};

struct ScenarioDef {
  const char* id;
  const char* group;
};

constexpr ScenarioDef kScenarios[] = {
    {"tiny-1", "tiny"},         {"tiny-8", "tiny"},       {"tiny-8x16", "tiny"},
    {"rec30-1", "recursive"},   {"rec30-2", "recursive"}, {"rec30-4", "recursive"},
    {"rec30-8", "recursive"},   {"busy", "busy"},         {"big-1e7", "big"},
    {"big-1e8", "big"},         {"timeline", "timeline"}, {"noisy", "noisy"},
    {"admission", "admission"},
};

// A scenario whose tiny requests run beside big jobs (the background).
ScenarioResult WithBackground(std::string id, std::string title, ScenarioResult::Measure measure) {
  ScenarioResult res;
  res.id = std::move(id);
  res.title = std::move(title);
  res.measure = measure;
  res.has_background = true;
  res.fibpool.label = res.fibpool_background.label = "fibpool";
  res.baseline.label = res.baseline_background.label = "baseline";
  return res;
}

// One big job on each of `connections` connections, sent once.
GroupSpec BigJobs(const std::string& job, unsigned connections) {
  GroupSpec big;
  big.name = "big";
  big.connections = connections;
  big.requests = {ParseJob(job)};
  big.max_requests_per_connection = 1;
  big.record_all_latency = true;
  return big;
}

// `connections` closed-loop connections sending tiny jobs, `depth` at a time.
GroupSpec TinyJobs(unsigned connections, unsigned depth = 1) {
  GroupSpec tiny;
  tiny.name = "tiny";
  tiny.connections = connections;
  tiny.depth = depth;
  tiny.requests = TinyRequests();
  return tiny;
}

double ThreadCpuSeconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// "`ARGV` (READY LINE)" of a server the bench started.
std::string Describe(const ChildServer& server) {
  std::string cmd;
  for (const auto& a : server.argv()) cmd += (cmd.empty() ? "" : " ") + a;
  return "`" + cmd + "` (" + server.ready_line() + ")";
}

std::string Summary(const Figures& f) {
  const auto s = f.latency.Summarize();
  return Fixed(f.rate(), 0) + " req/s, p50 " + Fixed(s.p50.us, 0) + " us, p99 " +
         Fixed(s.p99.us, 0) + " us, answered " + std::to_string(f.answered) + ", wrong " +
         std::to_string(f.wrong) + ", unanswered " + std::to_string(f.unanswered);
}

}  // namespace

std::vector<std::string> AllScenarioIds() {
  std::vector<std::string> ids;
  for (const auto& s : kScenarios) ids.emplace_back(s.id);
  return ids;
}

std::chrono::milliseconds EstimatedDuration(const std::string& id, const BenchOptions& o) {
  const auto targets = o.only.empty() ? 2 : 1;
  const auto group = std::find_if(std::begin(kScenarios), std::end(kScenarios),
                                  [&](const ScenarioDef& s) { return id == s.id; });
  const std::string_view kind = group == std::end(kScenarios) ? "" : group->group;
  if (kind == "tiny" || kind == "recursive") {
    // The per-core baseline too.
    const auto load_targets = o.only.empty() ? 3 : 1;
    return load_targets * o.rounds * (o.slice + o.warmup);
  }
  if (kind == "busy") return targets * (kBusyTinyDelay + o.busy_window) + o.baseline_stall_cap;
  if (kind == "timeline") return targets * o.timeline_window + o.baseline_stall_cap;
  if (kind == "noisy") {
    // Per target: B's service time (alone, then two at once), the warm-up
    // and the four phases; then fibpool's backlog drains, two jobs at a
    // time, and the bench waits for the stalled baseline.
    const auto service = 2 * kServiceRuns * kNoisyJobEstimate;
    return targets * (service + kNoisyWarmup + 4 * o.noisy_phase) +
           o.noisy_queued * kNoisyJobEstimate / 2 + o.baseline_stall_cap;
  }
  if (kind == "admission") {
    // Two phases, each a fibpool start-up, the phase, and (max_wait off) the
    // clients' whole backlog draining on the workers.
    const auto backlog = o.admission_clients * o.admission_depth * kNoisyJobEstimate / o.workers;
    return 2 * (milliseconds(500) + o.admission_phase) + backlog;
  }
  // Big results: about 0.2 s (F(10^7)) and 4 s (F(10^8)) per run on the
  // reference machine, computed by the target and again in the bench.
  const milliseconds run = id == "big-1e7" ? milliseconds(200) : milliseconds(4'000);
  return 2 * static_cast<int>(o.big_runs) * targets * run;
}

std::vector<std::string> FibpoolCommand(const BenchOptions& options) {
  std::vector<std::string> argv = {
      options.fibpool_path.string(),   "--host",      "127.0.0.1", "--port", "0", "--workers",
      std::to_string(options.workers), "--log-level", "warn"};
  argv.insert(argv.end(), options.fibpool_args.begin(), options.fibpool_args.end());
  return argv;
}

std::string RemainingText(std::chrono::milliseconds left) {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(left).count();
  return s >= 60 ? std::to_string(s / 60) + " min " + std::to_string(s % 60) + " s"
                 : std::to_string(s) + " s";
}

std::vector<std::string> SelectScenarios(const std::vector<std::string>& names) {
  std::vector<bool> chosen(std::size(kScenarios), names.empty());
  for (const std::string& name : names) {
    bool known = false;
    for (std::size_t i = 0; i < std::size(kScenarios); ++i) {
      if (name == "all" || name == kScenarios[i].id || name == kScenarios[i].group) {
        chosen[i] = true;
        known = true;
      }
    }
    if (!known) throw std::invalid_argument("unknown scenario '" + name + "'");
  }
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < std::size(kScenarios); ++i) {
    if (chosen[i]) ids.emplace_back(kScenarios[i].id);
  }
  return ids;
}

ScenarioRunner::ScenarioRunner(BenchOptions options) : options_(std::move(options)) {
  baseline_ = ChildServer::Start({options_.baseline_path.string(), "--port", "0"}, kStartTimeout);
  baseline_target_ = Target{"baseline", &baseline_, baseline_.endpoint()};
  per_core_target_.label = "per-core";
  if (Runs(per_core_target_)) {
    per_core_ = ChildServer::Start({options_.baseline_path.string(), "--port", "0", "--threads",
                                    std::to_string(options_.baseline_threads)},
                                   kStartTimeout);
    per_core_target_ = Target{"per-core", &per_core_, per_core_.endpoint()};
  }
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
}

ScenarioRunner::~ScenarioRunner() {
  fibpool_.Stop();
  baseline_.Stop();
  per_core_.Stop();
}

std::string ScenarioRunner::FibpoolDescription() const {
  if (!fibpool_.running()) {
    return "running at " + fibpool_target_.endpoint.address().to_string() + ":" +
           std::to_string(fibpool_target_.endpoint.port()) + " (--target), assumed " +
           std::to_string(workers_) + " workers";
  }
  return Describe(fibpool_);
}

std::string ScenarioRunner::BaselineDescription() const { return Describe(baseline_); }

std::string ScenarioRunner::PerCoreDescription() const {
  return per_core_.running() ? Describe(per_core_) : "not run (--only " + options_.only + ")";
}

std::vector<EstimateError> ScenarioRunner::EstimateErrors() const {
  if (!Runs(fibpool_target_)) return {};
  return AskEstimateErrors(fibpool_target_.endpoint, kStatsTimeout);
}

void ScenarioRunner::Progress(const std::string& line) const {
  if (options_.verbose) std::fprintf(stderr, "[fibpool-bench] %s\n", line.c_str());
}

bool ScenarioRunner::Runs(const Target& target) const {
  return options_.only.empty() || options_.only == target.label;
}

void ScenarioRunner::RestartBaseline() {
  const std::vector<std::string> argv = baseline_.argv();
  baseline_.Kill();
  baseline_ = ChildServer::Start(argv, kStartTimeout);
  baseline_target_.endpoint = baseline_.endpoint();
}

RunResult ScenarioRunner::RunSlice(Target& target, RunSpec spec, Figures* main,
                                   Figures* background) {
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

std::vector<ScenarioResult> ScenarioRunner::RunAll() {
  std::vector<ScenarioResult> results;
  const auto closed = [](unsigned connections, unsigned depth) {
    return std::vector<GroupSpec>{TinyJobs(connections, depth)};
  };
  const auto recursive = [](unsigned connections) {
    GroupSpec g;
    g.name = "recursive";
    g.connections = connections;
    g.requests = {RecursiveRequest(30)};
    return std::vector<GroupSpec>{g};
  };
  const std::vector<std::string> ids = SelectScenarios(options_.scenarios);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string& id = ids[i];
    milliseconds left{0};
    for (std::size_t k = i; k < ids.size(); ++k) left += EstimatedDuration(ids[k], options_);
    Progress("scenario " + std::to_string(i + 1) + "/" + std::to_string(ids.size()) + " " + id +
             " (about " + RemainingText(left) + " left)");
    if (id == "tiny-1") {
      results.push_back(
          RunLoadScenario(id, "tiny jobs (N <= 20 fast), 1 connection, closed loop", closed(1, 1)));
    } else if (id == "tiny-8") {
      results.push_back(RunLoadScenario(id, "tiny jobs, 8 connections, closed loop", closed(8, 1)));
    } else if (id == "tiny-8x16") {
      results.push_back(
          RunLoadScenario(id, "tiny jobs, 8 connections pipelining 16 deep", closed(8, 16)));
    } else if (id.rfind("rec30-", 0) == 0) {
      const unsigned k = static_cast<unsigned>(std::stoul(id.substr(6)));
      results.push_back(RunLoadScenario(id,
                                        "`30 recursive`, " + std::to_string(k) + " connection" +
                                            (k > 1 ? "s" : "") + ", closed loop",
                                        recursive(k)));
    } else if (id == "busy") {
      results.push_back(RunBusyScenario());
    } else if (id == "big-1e7") {
      results.push_back(RunBigScenario(id, 10'000'000));
    } else if (id == "big-1e8") {
      results.push_back(RunBigScenario(id, 100'000'000));
    } else if (id == "timeline") {
      results.push_back(RunTimelineScenario());
    } else if (id == "noisy") {
      results.push_back(RunNoisyScenario());
    } else if (id == "admission") {
      results.push_back(
          AdmissionScenario(options_, FibpoolCommand(options_), [this](const std::string& line) {
            Progress(line);
          }).Run());
    }
  }
  return results;
}

ScenarioResult ScenarioRunner::RunLoadScenario(const std::string& id, const std::string& title,
                                               const std::vector<GroupSpec>& groups) {
  ScenarioResult res;
  res.id = id;
  res.title = title;
  res.measure = ScenarioResult::Measure::kRate;
  res.fibpool.label = "fibpool";
  res.baseline.label = "baseline";
  res.per_core.label = "per-core";
  const std::pair<Target*, Figures*> targets[] = {{&baseline_target_, &res.baseline},
                                                  {&per_core_target_, &res.per_core},
                                                  {&fibpool_target_, &res.fibpool}};
  for (unsigned round = 0; round < options_.rounds; ++round) {
    // ABC CBA: the order is reversed every other round, so that over two
    // rounds every target has the same mean position.
    for (std::size_t k = 0; k < std::size(targets); ++k) {
      const auto [t, f] = targets[round % 2 == 0 ? k : std::size(targets) - 1 - k];
      if (!Runs(*t)) continue;
      RunSpec spec;
      spec.groups = groups;
      spec.warmup = options_.warmup;
      spec.window = options_.slice;
      spec.drain_cap = std::chrono::seconds(10);
      RunSlice(*t, spec, f, nullptr);
      Progress(id + " round " + std::to_string(round + 1) + " " + t->label + ": " +
               Fixed(f->per_slice.empty() ? 0 : f->per_slice.back(), 0) + " req/s");
    }
  }
  Progress(id + " fibpool:  " + Summary(res.fibpool));
  Progress(id + " baseline: " + Summary(res.baseline));
  Progress(id + " per-core: " + Summary(res.per_core));
  return res;
}

ScenarioResult ScenarioRunner::RunBusyScenario() {
  ScenarioResult res =
      WithBackground("busy",
                     "tiny jobs on 8 connections while " + std::to_string(workers_) + " x `" +
                         options_.busy_job + "` run (sent first, on their own connections)",
                     ScenarioResult::Measure::kP99);
  const GroupSpec big = BigJobs(options_.busy_job, workers_);
  GroupSpec tiny = TinyJobs(8);
  tiny.start_delay = kBusyTinyDelay;

  RunSpec spec;
  spec.groups = {big, tiny};
  // The tiny requests are measured from their very first one: a closed-loop
  // client stuck behind the big jobs may send only that one.
  spec.warmup = kBusyTinyDelay;
  spec.window = options_.busy_window;
  const double busy_until = std::chrono::duration<double>(spec.warmup + spec.window).count();

  // fibpool first: the baseline is left stalled and must be restarted.
  spec.drain_cap = kBusyFibpoolDrainCap;
  if (Runs(fibpool_target_)) {
    RunSlice(fibpool_target_, spec, &res.fibpool, &res.fibpool_background);
    Progress("busy fibpool: " + Summary(res.fibpool));
  }
  const auto fb = res.fibpool_background.latency.Summarize();
  if (fb.count > 0 && fb.censored == 0) {
    // The shortest big job must outlast the window for "every worker busy" to hold.
    const double shortest = fb.min_us;
    if (res.fibpool_background.answered >= workers_ && shortest / 1e6 < busy_until) {
      res.notes.push_back("a big job ended after " + Fixed(shortest / 1e6, 2) +
                          " s, before the window closed at " + Fixed(busy_until, 2) +
                          " s: part of the window had a free worker");
    }
  }

  spec.drain_cap = options_.baseline_stall_cap;
  if (!Runs(baseline_target_)) return res;
  RunSlice(baseline_target_, spec, &res.baseline, &res.baseline_background);
  Progress("busy baseline: " + Summary(res.baseline));
  if (res.baseline.unanswered + res.baseline_background.unanswered > 0) {
    res.notes.push_back(
        "the baseline computes inline and stalled: " + std::to_string(res.baseline.unanswered) +
        " tiny and " + std::to_string(res.baseline_background.unanswered) +
        " big requests were still unanswered when the bench stopped waiting (" +
        Fixed(std::chrono::duration<double>(options_.baseline_stall_cap).count(), 1) +
        " s after the window); its latencies are lower bounds, and it was restarted");
    RestartBaseline();
  }
  return res;
}

ScenarioResult ScenarioRunner::RunTimelineScenario() {
  ScenarioResult res = WithBackground(
      "timeline",
      "tiny jobs on 1 connection, counted per " + std::to_string(kTimelineBucket.count()) +
          " ms, while " + std::to_string(workers_) + " x `" + options_.timeline_job +
          "` start at " + Fixed(std::chrono::duration<double>(kTimelineBigStart).count(), 1) + " s",
      ScenarioResult::Measure::kRate);
  GroupSpec big = BigJobs(options_.timeline_job, workers_);
  big.start_delay = kTimelineBigStart;
  big.timeline_bucket = kTimelineBucket;
  GroupSpec tiny = TinyJobs(1);
  tiny.timeline_bucket = kTimelineBucket;

  RunSpec spec;
  spec.groups = {big, tiny};
  spec.window = options_.timeline_window;
  for (Figures* f :
       {&res.fibpool, &res.baseline, &res.fibpool_background, &res.baseline_background}) {
    f->timeline_bucket_ms = static_cast<double>(kTimelineBucket.count());
  }
  spec.drain_cap = kBusyFibpoolDrainCap;
  if (Runs(fibpool_target_)) {
    RunSlice(fibpool_target_, spec, &res.fibpool, &res.fibpool_background);
    Progress("timeline fibpool: " + Summary(res.fibpool));
  }
  spec.drain_cap = options_.baseline_stall_cap;
  if (!Runs(baseline_target_)) return res;
  RunSlice(baseline_target_, spec, &res.baseline, &res.baseline_background);
  Progress("timeline baseline: " + Summary(res.baseline));
  if (res.baseline.unanswered + res.baseline_background.unanswered > 0) {
    res.notes.push_back("the baseline stalled past the bench's wait; it was restarted");
    RestartBaseline();
  }
  if (options_.python.empty() || !options_.only.empty()) return res;
  spec.groups.front().requests = {ParseJob(options_.python_timeline_job)};
  for (const char* mode : {"threads", "pool"}) {
    ChildServer server = ChildServer::Start({options_.python, options_.python_server.string(),
                                             "--mode", mode, "--workers", std::to_string(workers_)},
                                            kStartTimeout);
    Target target{std::string("py-") + mode, &server, server.endpoint()};
    ScenarioResult::Other& other = res.others.emplace_back();
    other.main.label = other.background.label = target.label;
    other.main.timeline_bucket_ms = other.background.timeline_bucket_ms =
        res.fibpool.timeline_bucket_ms;
    RunSlice(target, spec, &other.main, &other.background);
    Progress("timeline " + target.label + ": " + Summary(other.main));
    server.Kill();
  }
  res.notes.push_back("py-threads and py-pool (bench/py_server.py) ran `" +
                      options_.python_timeline_job + "` as their big job");
  return res;
}

ScenarioResult ScenarioRunner::RunNoisyScenario() {
  const unsigned depth = (options_.noisy_queued + kNoisyConnections - 1) / kNoisyConnections;
  ScenarioResult res = WithBackground(
      "noisy",
      "noisy neighbour: A keeps " + std::to_string(depth * kNoisyConnections) + " x `" +
          options_.noisy_job + "` queued on " + std::to_string(kNoisyConnections) +
          " connections; B, from " + kNeighbourSource + ", asks one `" + options_.noisy_job +
          "` at a time, then tiny jobs one at a time, " +
          std::to_string(options_.noisy_tiny_pause.count()) + " ms apart",
      ScenarioResult::Measure::kP99);
  res.main_role = "B tiny";
  res.background_role = "A";
  const RequestLine big = ParseJob(options_.noisy_job);
  RunNeighbour(fibpool_target_, big, &res.fibpool, &res.fibpool_background, &res.fibpool_neighbour);
  RunNeighbour(baseline_target_, big, &res.baseline, &res.baseline_background,
               &res.baseline_neighbour);

  const auto seconds = [](const Figures& f) {
    return Fixed(f.latency.Summarize().p50.us / 1e6, 3);
  };
  const NeighbourFigures& f = res.fibpool_neighbour;
  if (f.ran && f.service.answered > 0) {
    const double capacity = workers_ / (f.service.latency.Summarize().p50.us / 1e6);
    res.notes.push_back(
        "fibpool: B's service time with no backlog " + seconds(f.service) +
        " s two at once (median of " + std::to_string(f.service.answered) +
        "; behind A's backlog one of A's jobs runs beside B's), " + seconds(f.service_alone) +
        " s alone (median of " + std::to_string(f.service_alone.answered) + "); A alone got " +
        Fixed(f.a_alone_rate, 2) + " answers/s, " + Fixed(f.a_alone_rate / capacity, 2) +
        "x what " + std::to_string(workers_) + " workers do at that service time");
  }
  const NeighbourFigures& b = res.baseline_neighbour;
  if (b.ran) {
    res.notes.push_back(
        "baseline: one job at a time, in arrival order, no fairness; B's service time is its time "
        "alone, " +
        seconds(b.service_alone) + " s");
  }
  if (res.baseline.unanswered + res.baseline_background.unanswered + b.b_big.unanswered > 0) {
    res.notes.push_back(
        "the baseline was still computing A's backlog when the bench stopped waiting (" +
        Fixed(std::chrono::duration<double>(options_.baseline_stall_cap).count(), 1) +
        " s after the last phase); its latencies are lower bounds, and it was restarted");
    RestartBaseline();
  }
  return res;
}

void ScenarioRunner::RunNeighbour(Target& target, const RequestLine& big, Figures* main,
                                  Figures* background, NeighbourFigures* out) {
  if (!Runs(target)) return;
  const bool pool = &target == &fibpool_target_;
  const auto source = boost::asio::ip::make_address(kNeighbourSource);

  // B's service time with no backlog: alone, and (on a pool) two at once.
  GroupSpec service;
  service.name = "service";
  service.requests = {big};
  service.max_requests_per_connection = kServiceRuns;
  service.record_all_latency = true;
  service.source = source;
  RunSpec spec;
  spec.groups = {service};
  spec.window = kBigRunCap;
  spec.drain_cap = milliseconds(0);
  RunSlice(target, spec, &out->service_alone, nullptr);
  if (pool && workers_ > 1) {
    spec.groups.front().connections = 2;
    RunSlice(target, spec, &out->service, nullptr);
  }

  // Four phases behind A's standing backlog: A alone, B's big jobs, B's tiny
  // jobs, A alone.
  const milliseconds phase = options_.noisy_phase;
  GroupSpec a;
  a.name = "A";
  a.connections = kNoisyConnections;
  a.depth = (options_.noisy_queued + kNoisyConnections - 1) / kNoisyConnections;
  a.requests = {big};
  a.record_answer_times = true;
  GroupSpec b_big;
  b_big.name = "B big";
  b_big.requests = {big};
  b_big.source = source;
  const auto service_time = std::chrono::duration_cast<milliseconds>(
      std::chrono::duration<double, std::micro>(out->service_basis().latency.Summarize().p50.us));
  const milliseconds warmup = std::max(kNoisyWarmup, 2 * service_time);
  b_big.start_delay = warmup + phase;
  b_big.stop_after = warmup + 2 * phase;
  b_big.record_answer_times = true;
  GroupSpec b_tiny = TinyJobs(1);
  b_tiny.source = source;
  b_tiny.start_delay = warmup + 2 * phase;
  b_tiny.stop_after = warmup + 3 * phase;
  b_tiny.pause = options_.noisy_tiny_pause;
  spec.groups = {a, b_big, b_tiny};
  spec.warmup = warmup;
  spec.window = 4 * phase;
  spec.drain_cap = pool ? kBusyFibpoolDrainCap : options_.baseline_stall_cap;
  const RunResult r = RunSlice(target, spec, main, background);
  if (!r.failure.empty()) return;
  Accumulate(&out->b_big, r.groups[1], r);

  const std::int64_t phase_ns = std::chrono::nanoseconds(phase).count();
  const double phase_s = NanosToSeconds(phase_ns);
  const auto rate = [&](const GroupResult& g, int k) {
    const std::int64_t from = std::chrono::nanoseconds(warmup).count() + k * phase_ns;
    return CompletionsBetween(g.answer_ns, from, from + phase_ns) / phase_s;
  };
  out->a_alone_rate = (rate(r.groups[0], 0) + rate(r.groups[0], 3)) / 2;
  out->a_with_big_rate = rate(r.groups[0], 1);
  out->b_big_rate = rate(r.groups[1], 1);
  out->a_with_tiny_rate = rate(r.groups[0], 2);
  out->b_tiny_phase_rate = rate(r.groups[1], 2);
  out->workers = pool ? workers_ : 1;
  out->ran = true;
  Progress("noisy " + target.label + ": B's big job p50 " +
           Fixed(out->b_big.latency.Summarize().p50.us / 1e6, 3) + " s; B tiny " + Summary(*main) +
           "; A alone " + Fixed(out->a_alone_rate, 2) + "/s, with B " +
           Fixed(out->shared_rate(), 2) + "/s (A and B)");
}

ScenarioResult ScenarioRunner::RunBigScenario(const std::string& id, std::uint64_t n) {
  ScenarioResult res;
  res.id = id;
  res.title =
      "F(" + std::to_string(n) + ") fast, end to end on 1 connection, vs computed in the bench";
  res.measure = ScenarioResult::Measure::kSeconds;
  res.fibpool.label = "fibpool";
  res.baseline.label = "in-process";

  std::shared_ptr<const std::string> reference;
  const auto in_process = [&] {
    // The first run makes the reference answer, so it always runs.
    if (reference && !Runs(baseline_target_)) return;
    const double cpu_start = ThreadCpuSeconds();
    const std::int64_t start = NowNanos();
    worker::BigFibonacci fib(n);
    const std::size_t size = fib.DecimalBufferSize();
    auto buffer = std::make_unique_for_overwrite<char[]>(size);
    const std::size_t length = fib.WriteDecimal(buffer.get());
    const std::int64_t elapsed = NowNanos() - start;
    res.baseline.server_cpu_seconds += ThreadCpuSeconds() - cpu_start;
    res.baseline.cpu_known = true;
    res.baseline.latency.Add(elapsed);
    res.baseline.window_seconds += NanosToSeconds(elapsed);
    ++res.baseline.sent;
    ++res.baseline.answered;
    ++res.baseline.answered_in_window;
    res.baseline.per_slice.push_back(NanosToSeconds(elapsed));
    if (!reference) {
      reference = std::make_shared<const std::string>(buffer.get(), length);
    } else if (reference->size() != length ||
               std::memcmp(reference->data(), buffer.get(), length)) {
      ++res.baseline.wrong;
    }
    Progress(id + " in-process: " + Fixed(NanosToSeconds(elapsed), 3) + " s");
  };
  const auto end_to_end = [&] {
    if (!Runs(fibpool_target_)) return;
    GroupSpec g;
    g.name = "big";
    g.requests = {FastRequest(n, reference)};
    g.max_requests_per_connection = 1;
    g.record_all_latency = true;
    RunSpec spec;
    spec.groups = {g};
    spec.window = kBigRunCap;
    spec.drain_cap = milliseconds(0);
    const RunResult r = RunSlice(fibpool_target_, spec, &res.fibpool, nullptr);
    if (!res.fibpool.per_slice.empty()) res.fibpool.per_slice.back() = r.run_seconds;
    Progress(id + " fibpool end to end: " + Fixed(r.run_seconds, 3) + " s");
  };
  const unsigned runs = std::max(1u, options_.big_runs);
  for (unsigned i = 0; i < runs; ++i) {
    if (i % 2 == 0 || !reference) {
      in_process();
      end_to_end();
    } else {
      end_to_end();
      in_process();
    }
  }
  // Wall time is what the target is about; CPU time says whether a gap is
  // the pool's work or the machine's other tenants.
  const double per_run = 1.0 / runs;
  if (res.fibpool.cpu_known) {
    res.notes.push_back(
        "CPU per run: fibpool's workers " + Fixed(res.fibpool.worker_cpu_seconds * per_run, 3) +
        " s, supervisor " + Fixed(res.fibpool.server_cpu_seconds * per_run * 1e3, 1) +
        " ms, bench client " + Fixed(res.fibpool.client_cpu_seconds * per_run * 1e3, 1) +
        " ms (reading and checking " + std::to_string(reference ? reference->size() + 1 : 0) +
        " bytes); in-process compute " + Fixed(res.baseline.server_cpu_seconds * per_run, 3) +
        " s CPU");
  }
  return res;
}

}  // namespace fibpool::bench
