// The big-result scenarios: F(n) fast end to end on one connection (until
// the last digit is read and checked) against the same computation in the
// bench process; measured in seconds per run. The runs alternate the two,
// the in-process one first every other run.
#include <algorithm>
#include <cstring>
#include <memory>

#include "bench/clock.h"
#include "bench/figure_text.h"
#include "bench/request_set.h"
#include "bench/scenarios/scenario_families.h"
#include "bench/scenarios/scenario_parts.h"
#include "worker/fibonacci.h"

namespace fibpool::bench {

namespace {

using std::chrono::milliseconds;

class BigResultScenario : public NamedScenario {
 public:
  // `run_estimate`: one run's time on the reference machine.
  BigResultScenario(std::string id, std::uint64_t n, milliseconds run_estimate)
      : NamedScenario(std::move(id), "big"), n_(n), run_estimate_(run_estimate) {}

  milliseconds EstimatedDuration(const BenchOptions& o) const override {
    // Each run computed by the target and again in the bench.
    const int targets = o.only.empty() ? 2 : 1;
    return 2 * static_cast<int>(o.big_runs) * targets * run_estimate_;
  }

  ScenarioResult Run(BenchServers& servers) const override;

 private:
  std::uint64_t n_;
  milliseconds run_estimate_;
};

ScenarioResult BigResultScenario::Run(BenchServers& servers) const {
  ScenarioResult res;
  res.id = id();
  res.title =
      "F(" + std::to_string(n_) + ") fast, end to end on 1 connection, vs computed in the bench";
  res.measure = ScenarioResult::Measure::kSeconds;
  res.fibpool.label = "fibpool";
  res.baseline.label = "in-process";

  std::shared_ptr<const std::string> reference;
  const auto in_process = [&] {
    // The first run makes the reference answer, so it always runs.
    if (reference && !servers.Runs(servers.baseline())) return;
    const std::int64_t cpu_start = ThreadCpuNanos();
    const std::int64_t start = NowNanos();
    worker::BigFibonacci fib(n_);
    const std::size_t size = fib.DecimalBufferSize();
    auto buffer = std::make_unique_for_overwrite<char[]>(size);
    const std::size_t length = fib.WriteDecimal(buffer.get());
    const std::int64_t elapsed = NowNanos() - start;
    res.baseline.server_cpu_seconds += NanosToSeconds(ThreadCpuNanos() - cpu_start);
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
    servers.Progress(id() + " in-process: " + Fixed(NanosToSeconds(elapsed), 3) + " s");
  };
  const auto end_to_end = [&] {
    if (!servers.Runs(servers.fibpool())) return;
    GroupSpec g;
    g.name = "big";
    g.requests = {FastRequest(n_, reference)};
    g.max_requests_per_connection = 1;
    g.record_all_latency = true;
    RunSpec spec;
    spec.groups = {g};
    spec.window = kBigRunCap;
    spec.drain_cap = milliseconds(0);
    const RunResult r = servers.RunSlice(servers.fibpool(), spec, &res.fibpool, nullptr);
    if (!res.fibpool.per_slice.empty()) res.fibpool.per_slice.back() = r.run_seconds;
    servers.Progress(id() + " fibpool end to end: " + Fixed(r.run_seconds, 3) + " s");
  };
  const unsigned runs = std::max(1u, servers.options().big_runs);
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

}  // namespace

ScenarioList BigScenarios() {
  ScenarioList list;
  // About 0.2 s (F(10^7)) and 4 s (F(10^8)) per run on the reference machine.
  list.push_back(std::make_unique<BigResultScenario>("big-1e7", 10'000'000, milliseconds(200)));
  list.push_back(std::make_unique<BigResultScenario>("big-1e8", 100'000'000, milliseconds(4'000)));
  return list;
}

}  // namespace fibpool::bench
