// The noisy-neighbour scenario (fair queuing across clients): client A keeps
// BenchOptions::noisy_queued big jobs queued on two connections through four
// phases: A alone; B, from another address, asking the same job one at a
// time; B asking tiny jobs one at a time; A alone. Measured in B's tiny
// jobs' p99; the rest (B's big jobs, each phase's answers per second) goes
// into NeighbourFigures. Against fibpool and the baseline, which stalls in
// A's backlog and is restarted.
#include <algorithm>

#include "bench/accumulate.h"
#include "bench/clock.h"
#include "bench/completion_rate.h"
#include "bench/figure_text.h"
#include "bench/request_set.h"
#include "bench/scenarios/scenario_families.h"
#include "bench/scenarios/scenario_parts.h"

namespace fibpool::bench {

namespace {

using std::chrono::milliseconds;

// A's backlog settles at least this long, and at least two of B's service
// times, before the first phase (so that the phase starts after A's first
// answers: on a loaded host a job takes seconds); A uses this many
// connections (from one address: one flow, however many); B connects from
// another loopback address, a client of its own; B's service time is
// measured over this many jobs per connection.
constexpr milliseconds kNoisyWarmup{500};
constexpr unsigned kNoisyConnections = 2;
constexpr const char* kNeighbourSource = "127.0.0.2";
constexpr unsigned kServiceRuns = 3;

class NoisyScenario : public NamedScenario {
 public:
  NoisyScenario() : NamedScenario("noisy", "noisy") {}

  milliseconds EstimatedDuration(const BenchOptions& o) const override {
    // Per target: B's service time (alone, then two at once), the warm-up
    // and the four phases; then fibpool's backlog drains, two jobs at a
    // time, and the bench waits for the stalled baseline.
    const int targets = o.only.empty() ? 2 : 1;
    const auto service = 2 * kServiceRuns * kBigJobEstimate;
    return targets * (service + kNoisyWarmup + 4 * o.noisy_phase) +
           o.noisy_queued * kBigJobEstimate / 2 + o.baseline_stall_cap;
  }

  ScenarioResult Run(BenchServers& servers) const override;

 private:
  // One target's part; `big` is A's and B's big job.
  static void RunNeighbour(BenchServers& servers, BenchServers::Target& target,
                           const RequestLine& big, Figures* main, Figures* background,
                           NeighbourFigures* out);
};

ScenarioResult NoisyScenario::Run(BenchServers& servers) const {
  const BenchOptions& options = servers.options();
  const unsigned workers = servers.workers();
  const unsigned depth = (options.noisy_queued + kNoisyConnections - 1) / kNoisyConnections;
  ScenarioResult res = WithBackground(
      "noisy",
      "noisy neighbour: A keeps " + std::to_string(depth * kNoisyConnections) + " x `" +
          options.noisy_job + "` queued on " + std::to_string(kNoisyConnections) +
          " connections; B, from " + kNeighbourSource + ", asks one `" + options.noisy_job +
          "` at a time, then tiny jobs one at a time, " +
          std::to_string(options.noisy_tiny_pause.count()) + " ms apart",
      ScenarioResult::Measure::kP99);
  res.baseline_stalls = true;
  // B's tiny jobs run in one of the four phases: no rate.
  res.main_rate = false;
  res.main_role = "B tiny";
  res.background_role = "A";
  const RequestLine big = ParseJob(options.noisy_job);
  RunNeighbour(servers, servers.fibpool(), big, &res.fibpool, &res.fibpool_background,
               &res.fibpool_neighbour);
  RunNeighbour(servers, servers.baseline(), big, &res.baseline, &res.baseline_background,
               &res.baseline_neighbour);

  const auto seconds = [](const Figures& f) {
    return Fixed(f.latency.Summarize().p50.us / 1e6, 3);
  };
  const NeighbourFigures& f = res.fibpool_neighbour;
  if (f.ran && f.service.answered > 0) {
    const double capacity = workers / (f.service.latency.Summarize().p50.us / 1e6);
    res.notes.push_back(
        "fibpool: B's service time with no backlog " + seconds(f.service) +
        " s two at once (median of " + std::to_string(f.service.answered) +
        "; behind A's backlog one of A's jobs runs beside B's), " + seconds(f.service_alone) +
        " s alone (median of " + std::to_string(f.service_alone.answered) + "); A alone got " +
        Fixed(f.a_alone_rate, 2) + " answers/s, " + Fixed(f.a_alone_rate / capacity, 2) +
        "x what " + std::to_string(workers) + " workers do at that service time");
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
        Fixed(std::chrono::duration<double>(options.baseline_stall_cap).count(), 1) +
        " s after the last phase); its latencies are lower bounds, and it was restarted");
    servers.RestartBaseline();
  }
  return res;
}

void NoisyScenario::RunNeighbour(BenchServers& servers, BenchServers::Target& target,
                                 const RequestLine& big, Figures* main, Figures* background,
                                 NeighbourFigures* out) {
  if (!servers.Runs(target)) return;
  const BenchOptions& options = servers.options();
  const bool pool = &target == &servers.fibpool();
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
  servers.RunSlice(target, spec, &out->service_alone, nullptr);
  if (pool && servers.workers() > 1) {
    spec.groups.front().connections = 2;
    servers.RunSlice(target, spec, &out->service, nullptr);
  }

  // Four phases behind A's standing backlog: A alone, B's big jobs, B's tiny
  // jobs, A alone.
  const milliseconds phase = options.noisy_phase;
  GroupSpec a;
  a.name = "A";
  a.connections = kNoisyConnections;
  a.depth = (options.noisy_queued + kNoisyConnections - 1) / kNoisyConnections;
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
  b_tiny.pause = options.noisy_tiny_pause;
  spec.groups = {a, b_big, b_tiny};
  spec.warmup = warmup;
  spec.window = 4 * phase;
  spec.drain_cap = pool ? kBigJobDrainCap : options.baseline_stall_cap;
  const RunResult r = servers.RunSlice(target, spec, main, background);
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
  out->workers = pool ? servers.workers() : 1;
  out->ran = true;
  servers.Progress("noisy " + target.label + ": B's big job p50 " +
                   Fixed(out->b_big.latency.Summarize().p50.us / 1e6, 3) + " s; B tiny " +
                   ProgressSummary(*main) + "; A alone " + Fixed(out->a_alone_rate, 2) +
                   "/s, with B " + Fixed(out->shared_rate(), 2) + "/s (A and B)");
}

}  // namespace

ScenarioList NoisyScenarios() { return OneScenario<NoisyScenario>(); }

}  // namespace fibpool::bench
