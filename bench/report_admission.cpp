#include "bench/report_sections.h"

#include "bench/admission_scenario.h"
#include "bench/estimate_error.h"
#include "bench/figure_text.h"
#include "bench/figures_json.h"
#include "bench/report_table.h"
#include "bench/retry_after.h"

namespace fibpool::bench {

namespace {

// One phase's row of the admission table.
std::vector<Cell> PhaseCells(const AdmissionPhase& p) {
  const auto w = p.accepted.latency.Summarize();
  const auto t = p.refusal_latency.Summarize();
  std::string after;
  for (const auto& [seconds, waits] : p.wait_after_refusal) {
    const auto a = waits.Summarize();
    after += (after.empty() ? "" : "; ") + std::to_string(seconds) + " s: " + Duration(a.p50) +
             " / " + Duration(a.p99) + " (" + std::to_string(a.count) + ")";
  }
  return {PhaseName(p),
          std::to_string(p.accepted.answered) + " (" + PerSecond(p.accepted.rate()) + ")",
          w.count ? Duration(w.p50) + " / " + Duration(w.p99) + " (" + Duration(w.max) + ")" : "-",
          std::to_string(p.refused),
          t.count ? Duration(t.p50) + " / " + Duration(t.p99) : "-",
          RetryAfterText(p.retry_after_s),
          after.empty() ? "-" : after,
          p.retries ? std::to_string(p.retries_accepted) + " of " + std::to_string(p.retries)
                    : std::string("-")};
}

// One phase's line on what the workers used and waited for, and the cost
// model's error at the end of the phase.
std::string PhaseCpuLine(const AdmissionPhase& p) {
  const Figures& f = p.accepted;
  std::string line = "- " + PhaseName(p) + ": ";
  if (!f.cpu_known) return line + "not measured\n";
  line += "the workers ran " + Fixed(f.worker_cpu_seconds, 1) + " s of CPU (" +
          (f.answered ? Fixed(f.worker_cpu_seconds / static_cast<double>(f.answered), 2) : "-") +
          " s per answer) and were runnable but waiting for a CPU for " +
          Fixed(f.worker_wait_seconds, 1) + " s";
  const double wanted = f.worker_cpu_seconds + f.worker_wait_seconds;
  if (f.worker_cpu_seconds > 0) {
    line += " (on a CPU " + Fixed(100 * f.worker_cpu_seconds / wanted, 0) +
            " % of the time they were runnable: a second of CPU work took about " +
            Fixed(wanted / f.worker_cpu_seconds, 1) + " s)";
  }
  for (const EstimateError& e : p.estimate_errors) {
    if (e.jobs == 0) continue;
    line += "; cost model at the end, " + e.algorithm + ": " + std::to_string(e.jobs) +
            " jobs judged, measured / estimated CPU p50 " + Fixed(e.p50, 2) + ", p99 " +
            Fixed(e.p99, 2) + ", factor learned " + Fixed(e.factor, 2);
  }
  return line + "\n";
}

}  // namespace

std::string AdmissionWaits(const ScenarioResult& r) {
  std::string out;
  for (const AdmissionPhase& p : r.admission) {
    const auto s = p.accepted.latency.Summarize();
    out +=
        (out.empty() ? "" : "; ") + (s.count ? Duration(s.p99) : "-") + " (" + PhaseName(p) + ")";
  }
  return out.empty() ? "-" : out;
}

std::string AdmissionMarkdown(const ScenarioResult& r) {
  Table table({{"phase"},
               {"answered", "", true},
               {"their wait: p50 / p99 (max)", "", true},
               {"refused", "", true},
               {"told in: p50 / p99", "", true},
               {"retry_after S: refusals"},
               {"next accepted job's wait after a refusal, per S"},
               {"retries accepted", "", true}});
  std::string cpu;
  for (const AdmissionPhase& p : r.admission) {
    table.AddRow(PhaseCells(p));
    cpu += PhaseCpuLine(p);
  }
  return "\n### Admission\n\n" + r.title +
         ". Each phase ran against a fibpool of its own, started for it (commands in the notes). "
         "Answered: requests answered with a result (per second over the phase). Their wait: "
         "request written to the last byte of its answer, every request of the phase, p50 / p99 "
         "(max). Refused: answered `ERR busy retry_after=S`; told in: request written to that "
         "line (answers keep their order on a connection, so with more than one request "
         "outstanding per client a refusal also waits for the answers ahead of it). S: how many "
         "refusals named each S. Was S true? After each refusal, the first job any client sent "
         "that was answered with a result met the backlog the refused job would have joined: "
         "its wait (p50 / p99, and how many, per S) is what the refused job would have waited, "
         "its own run included; S promises the start, so that wait should be about S plus one "
         "run. Retries accepted: a refused client sends nothing for S seconds, then sends "
         "again; of those first requests after the wait, how many were answered with a result. "
         "A retry competes with everything the other clients sent meanwhile, so under a "
         "standing overload this mostly measures the overload (freed places against clients "
         "coming back), not S. The baselines have no admission: they are not run.\n\n" +
         table.Markdown() +
         "\nThe estimates behind S are CPU time (the cost model, corrected by what the pool "
         "measured); the waits above are wall time. What the workers got of the CPU:\n\n" +
         cpu;
}

boost::json::array AdmissionJson(const std::vector<AdmissionPhase>& phases) {
  boost::json::array out;
  for (const AdmissionPhase& p : phases) {
    const auto t = p.refusal_latency.Summarize();
    boost::json::object retry_after;
    for (const auto& [seconds, n] : RetryAfterCounts(p.retry_after_s)) {
      retry_after[std::to_string(seconds)] = n;
    }
    boost::json::object wait_after;
    for (const auto& [seconds, waits] : p.wait_after_refusal) {
      const auto a = waits.Summarize();
      wait_after[std::to_string(seconds)] = {
          {"samples", a.count}, {"p50_us", JsonNumber(a.p50.us)}, {"p99_us", JsonNumber(a.p99.us)}};
    }
    out.push_back(boost::json::object{{"max_wait_ms", p.max_wait_ms},
                                      {"command", p.command},
                                      {"answered", FiguresJson(p.accepted)},
                                      {"refused", p.refused},
                                      {"retry_after_s", std::move(retry_after)},
                                      {"refusal_latency",
                                       {{"samples", t.count},
                                        {"p50_us", JsonNumber(t.p50.us)},
                                        {"p99_us", JsonNumber(t.p99.us)},
                                        {"max_us", JsonNumber(t.max.us)}}},
                                      {"wait_after_refusal", std::move(wait_after)},
                                      {"retries", p.retries},
                                      {"retries_accepted", p.retries_accepted},
                                      {"ran", p.ran}});
  }
  return out;
}

}  // namespace fibpool::bench
