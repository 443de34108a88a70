#include "bench/admission_scenario.h"

#include <cstdio>
#include <exception>

#include "bench/accumulate.h"
#include "bench/child_server.h"
#include "bench/load_run.h"
#include "bench/process_cpu.h"
#include "bench/timeouts.h"

namespace fibpool::bench {

namespace {

using std::chrono::milliseconds;

// After the phase, the answers still owed: with max_wait off, the whole
// backlog the clients built (clients x depth jobs on the workers).
constexpr milliseconds kDrainCap{120'000};
// Client i connects from 127.0.0.(kFirstClientHost + i).
constexpr unsigned kFirstClientHost = 11;

}  // namespace

std::string PhaseName(const AdmissionPhase& phase) {
  return phase.max_wait_ms == 0 ? "max_wait off"
                                : "max_wait " + MaxWaitText(milliseconds(phase.max_wait_ms)) + " s";
}

std::string MaxWaitText(milliseconds max_wait) {
  const auto ms = max_wait.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", static_cast<double>(ms) / 1000);
  return buf;
}

AdmissionScenario::AdmissionScenario(const BenchOptions& options,
                                     std::vector<std::string> fibpool_argv,
                                     std::function<void(const std::string&)> progress)
    : options_(options), fibpool_argv_(std::move(fibpool_argv)), progress_(std::move(progress)) {}

ScenarioResult AdmissionScenario::Run() {
  ScenarioResult res;
  res.id = "admission";
  res.title = "admission: " + std::to_string(options_.admission_clients) +
              " clients (one connection each, from 127.0.0." + std::to_string(kFirstClientHost) +
              " on) keep " + std::to_string(options_.admission_depth) + " x `" +
              options_.admission_job + "` outstanding for " +
              MaxWaitText(options_.admission_phase) + " s and honour retry_after; fibpool with " +
              "max_wait off, then " + MaxWaitText(options_.admission_max_wait) + " s";
  res.measure = ScenarioResult::Measure::kAdmission;
  res.fibpool.label = "fibpool";
  res.baseline.label = "baseline";
  if (options_.target) {
    res.notes.push_back(
        "not run: the scenario starts its own fibpools (it sets max_wait), and "
        "--target names a running one");
    return res;
  }
  if (!options_.only.empty() && options_.only != "fibpool") return res;
  const RequestLine job = ParseJob(options_.admission_job);
  for (const milliseconds max_wait : {milliseconds(0), options_.admission_max_wait}) {
    AdmissionPhase& phase = res.admission.emplace_back(RunPhase(max_wait, job));
    res.notes.push_back(PhaseName(phase) + ": `" + phase.command + "`");
    if (phase.max_wait_ms > 0 && phase.ran && phase.refused == 0) {
      res.notes.push_back(PhaseName(phase) +
                          ": nothing was refused; the load never made a job's estimated wait "
                          "exceed max_wait (more clients or a bigger job would)");
    }
  }
  res.notes.push_back(
      "the baselines have no admission (they compute every job inline, in arrival "
      "order): not run, nothing to compare");
  return res;
}

AdmissionPhase AdmissionScenario::RunPhase(milliseconds max_wait, const RequestLine& job) {
  AdmissionPhase phase;
  phase.max_wait_ms = static_cast<unsigned>(max_wait.count());
  phase.accepted.label = "fibpool";
  std::vector<std::string> argv = fibpool_argv_;
  argv.insert(argv.end(), {"--max-wait", MaxWaitText(max_wait)});
  for (const auto& a : argv) phase.command += (phase.command.empty() ? "" : " ") + a;

  ChildServer server;
  try {
    server = ChildServer::Start(argv, kStartTimeout);
  } catch (const std::exception& e) {
    phase.accepted.first_error = e.what();
    progress_("admission " + PhaseName(phase) + ": " + e.what());
    return phase;
  }
  RunSpec spec;
  spec.target = server.endpoint();
  for (unsigned i = 0; i < options_.admission_clients; ++i) {
    GroupSpec client;
    client.name = "client " + std::to_string(i + 1);
    client.depth = options_.admission_depth;
    client.requests = {job};
    client.record_all_latency = true;
    client.honour_retry_after = true;
    client.source =
        boost::asio::ip::make_address("127.0.0." + std::to_string(kFirstClientHost + i));
    spec.groups.push_back(client);
  }
  spec.window = options_.admission_phase;
  spec.drain_cap = kDrainCap;
  const CpuTimes before = ReadCpuTimes(server.pid());
  const RunResult r = LoadRun(std::move(spec)).Run();
  const CpuTimes after = ReadCpuTimes(server.pid());
  phase.estimate_errors = AskEstimateErrors(server.endpoint(), kStatsTimeout);
  server.Stop();
  if (!r.failure.empty()) {
    phase.accepted.first_error = r.failure;
    progress_("admission " + PhaseName(phase) + ": " + r.failure);
    return phase;
  }
  // The clients together, over the one window of the phase.
  std::vector<RefusalSeen> refusals;
  std::vector<AcceptedJob> accepted;
  for (const GroupResult& g : r.groups) {
    AddCounts(&phase.accepted, g);
    phase.refused += g.refused;
    for (const RefusalSeen& seen : g.refusals_seen) phase.retry_after_s.push_back(seen.s);
    refusals.insert(refusals.end(), g.refusals_seen.begin(), g.refusals_seen.end());
    accepted.insert(accepted.end(), g.accepted_jobs.begin(), g.accepted_jobs.end());
    phase.refusal_latency.Merge(g.refusal_latency);
    phase.retries += g.retries;
    phase.retries_accepted += g.retries_accepted;
  }
  phase.wait_after_refusal = WaitAfterRefusal(refusals, std::move(accepted));
  phase.accepted.window_seconds = r.window_seconds;
  phase.accepted.per_slice.push_back(phase.accepted.rate());
  AccumulateCpu(&phase.accepted, before, after, r, true);
  phase.ran = true;
  const auto wait = phase.accepted.latency.Summarize();
  progress_("admission " + PhaseName(phase) + ": " + std::to_string(phase.accepted.answered) +
            " answered, p50 wait " + std::to_string(wait.p50.us / 1e6) + " s, p99 " +
            std::to_string(wait.p99.us / 1e6) + " s; " + std::to_string(phase.refused) +
            " refused; retries accepted " + std::to_string(phase.retries_accepted) + " of " +
            std::to_string(phase.retries));
  return phase;
}

}  // namespace fibpool::bench
