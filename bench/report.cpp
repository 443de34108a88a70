#include "bench/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <utility>

#include "bench/admission_scenario.h"
#include "bench/figure_text.h"
#include "bench/retry_after.h"

namespace fibpool::bench {

namespace {

// 12345.6 -> "12,346"
std::string Thousands(double v) {
  const auto n = static_cast<long long>(std::llround(v));
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

std::string Duration(double us) {
  if (us < 1000) return Fixed(us, us < 100 ? 1 : 0) + " µs";
  if (us < 1e6) return Fixed(us / 1e3, us < 1e4 ? 2 : 1) + " ms";
  return Fixed(us / 1e6, 2) + " s";
}

std::string Duration(const LatencySamples::Percentile& p) {
  return (p.lower_bound ? "≥ " : "") + Duration(p.us);
}

std::string Ratio(double num, double den) {
  if (den <= 0 || num < 0) return "n/a";
  const double r = num / den;
  if (r > 0 && r < 0.1) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2gx", r);
    return buf;
  }
  return Fixed(r, 2) + "x";
}

double MeanSeconds(const Figures& f) { return f.latency.Summarize().mean_us / 1e6; }

std::string PerAnswer(double seconds, std::uint64_t answers) {
  if (answers == 0) return "-";
  return Fixed(seconds * 1e6 / static_cast<double>(answers), 1);
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string JsonNumber(double v) {
  if (!std::isfinite(v)) return "null";
  return Fixed(v, 3);
}

std::string JsonFigures(const Figures& f) {
  const auto s = f.latency.Summarize();
  const auto pct = [](const LatencySamples::Percentile& p) {
    return "{\"us\":" + JsonNumber(p.us) +
           ",\"lower_bound\":" + (p.lower_bound ? "true" : "false") + "}";
  };
  std::ostringstream o;
  o << "{\"label\":" << JsonString(f.label) << ",\"requests_per_second\":" << JsonNumber(f.rate())
    << ",\"window_seconds\":" << JsonNumber(f.window_seconds) << ",\"sent\":" << f.sent
    << ",\"answered\":" << f.answered << ",\"answered_in_window\":" << f.answered_in_window
    << ",\"wrong\":" << f.wrong << ",\"unanswered\":" << f.unanswered
    << ",\"latency\":{\"samples\":" << s.count << ",\"censored\":" << s.censored
    << ",\"mean_us\":" << JsonNumber(s.mean_us) << ",\"min_us\":" << JsonNumber(s.min_us)
    << ",\"p50\":" << pct(s.p50) << ",\"p90\":" << pct(s.p90) << ",\"p99\":" << pct(s.p99)
    << ",\"max\":" << pct(s.max) << "},\"per_slice\":[";
  for (std::size_t i = 0; i < f.per_slice.size(); ++i) {
    o << (i ? "," : "") << JsonNumber(f.per_slice[i]);
  }
  o << "]";
  if (!f.timeline.empty()) {
    o << ",\"timeline_bucket_ms\":" << JsonNumber(f.timeline_bucket_ms) << ",\"timeline\":[";
    for (std::size_t i = 0; i < f.timeline.size(); ++i) o << (i ? "," : "") << f.timeline[i];
    o << "]";
  }
  o << ",\"cpu_seconds\":{\"known\":" << (f.cpu_known ? "true" : "false")
    << ",\"client\":" << JsonNumber(f.client_cpu_seconds)
    << ",\"server\":" << JsonNumber(f.server_cpu_seconds)
    << ",\"workers\":" << JsonNumber(f.worker_cpu_seconds)
    << ",\"server_waiting_for_cpu\":" << JsonNumber(f.server_wait_seconds)
    << ",\"workers_waiting_for_cpu\":" << JsonNumber(f.worker_wait_seconds)
    << ",\"server_scheduled_in\":" << f.server_wakeups
    << ",\"workers_scheduled_in\":" << f.worker_wakeups << "}"
    << ",\"first_error\":" << JsonString(f.first_error) << "}";
  return o.str();
}

const char* MeasureName(ScenarioResult::Measure m) {
  switch (m) {
    case ScenarioResult::Measure::kRate:
      return "requests/s";
    case ScenarioResult::Measure::kP99:
      return "tiny-job p99";
    case ScenarioResult::Measure::kSeconds:
      return "seconds (mean)";
    case ScenarioResult::Measure::kAdmission:
      return "answered jobs' p99 wait";
  }
  return "";
}

// The p99 of `f`'s latencies, "-" when it has none.
std::string P99(const Figures& f) {
  const auto s = f.latency.Summarize();
  return s.count ? Duration(s.p99) : "-";
}

// The admission scenario's headline: the p99 wait of each phase's answered
// jobs, "-" when no phase ran.
std::string AdmissionWaits(const ScenarioResult& r) {
  std::string out;
  for (const AdmissionPhase& p : r.admission) {
    out += (out.empty() ? "" : "; ") + P99(p.accepted) + " (" + PhaseName(p) + ")";
  }
  return out.empty() ? "-" : out;
}

// A scenario's headline figure of one target ("-" when it was not measured).
// The admission scenario measures fibpool in its phases; the baselines have
// no admission.
std::string HeadlineFigure(const ScenarioResult& r, const Figures& f) {
  if (r.measure == ScenarioResult::Measure::kAdmission) {
    return &f == &r.fibpool ? AdmissionWaits(r) : "no admission";
  }
  if (!f.measured()) return "-";
  switch (r.measure) {
    case ScenarioResult::Measure::kRate:
      return Thousands(f.rate());
    case ScenarioResult::Measure::kP99:
      return P99(f);
    case ScenarioResult::Measure::kSeconds:
      return Fixed(MeanSeconds(f), 3) + " s";
    case ScenarioResult::Measure::kAdmission:
      break;  // above
  }
  return "-";
}

// fibpool against one baseline in a scenario's measure: "n/a" (and -1) when
// either was not measured or the ratio means nothing (fibpool's p99 a lower
// bound).
struct Versus {
  std::string ratio = "n/a";
  double value = -1;
};

Versus FibpoolVersus(const ScenarioResult& r, const Figures& other) {
  Versus v;
  if (!r.fibpool.measured() || !other.measured()) return v;
  double f = 0;
  double b = 0;
  std::string prefix;
  switch (r.measure) {
    case ScenarioResult::Measure::kRate:
      f = r.fibpool.rate();
      b = other.rate();
      break;
    case ScenarioResult::Measure::kP99: {
      const auto fs = r.fibpool.latency.Summarize();
      const auto bs = other.latency.Summarize();
      if (fs.count == 0 || bs.count == 0 || fs.p99.lower_bound) return v;
      f = fs.p99.us;
      b = bs.p99.us;
      if (bs.p99.lower_bound) prefix = "≤ ";
      break;
    }
    case ScenarioResult::Measure::kSeconds:
      f = MeanSeconds(r.fibpool);
      b = MeanSeconds(other);
      break;
    case ScenarioResult::Measure::kAdmission:
      return v;  // the baselines have no admission
  }
  v.ratio = prefix + Ratio(f, b);
  if (b > 0) v.value = f / b;
  return v;
}

std::string JsonRatio(const Versus& v) { return v.value >= 0 ? JsonNumber(v.value) : "null"; }

// `totals`: CPU and scheduling as totals over the runs instead of per answer
// (background jobs: a handful of answers that carry all the work).
void DetailRow(std::ostringstream& o, const std::string& id, const std::string& who,
               const Figures& f, bool rate, bool totals = false) {
  const auto s = f.latency.Summarize();
  const auto d = [&s](const LatencySamples::Percentile& p) {
    return s.count == 0 ? std::string("-") : Duration(p);
  };
  std::string rate_text = "-";
  if (rate) {
    rate_text = Thousands(f.rate());
    if (f.per_slice.size() > 1) {
      const auto [lo, hi] = std::minmax_element(f.per_slice.begin(), f.per_slice.end());
      rate_text += " (" + Thousands(*lo) + "–" + Thousands(*hi) + ")";
    }
  }
  o << "| " << id << " | " << who << " | " << rate_text << " | " << d(s.p50) << " | " << d(s.p90)
    << " | " << d(s.p99) << " | " << d(s.max) << " | " << f.answered << " | " << f.wrong << " | "
    << f.unanswered << " | ";
  if (totals) {
    if (f.cpu_known) {
      o << "total " << Fixed(f.server_cpu_seconds, 2) << " s / " << Fixed(f.worker_cpu_seconds, 2)
        << " s / " << Fixed(f.client_cpu_seconds, 2) << " s | total " << f.server_wakeups << " / "
        << f.worker_wakeups;
    } else {
      o << "- | -";
    }
  } else {
    if (f.cpu_known) {
      o << PerAnswer(f.server_cpu_seconds, f.answered) << " / "
        << PerAnswer(f.worker_cpu_seconds, f.answered) << " / "
        << PerAnswer(f.client_cpu_seconds, f.answered);
    } else {
      o << "- / - / " << PerAnswer(f.client_cpu_seconds, f.answered);
    }
    o << " | ";
    if (f.cpu_known && f.answered > 0 && f.label != "in-process") {
      const auto per = [&f](std::uint64_t n) {
        return Fixed(static_cast<double>(n) / static_cast<double>(f.answered), 2);
      };
      o << per(f.server_wakeups) << " / " << per(f.worker_wakeups);
    } else {
      o << "-";
    }
  }
  o << " |\n";
}

// The noisy-neighbour scenario's figures beyond its main and background rows.
std::vector<std::pair<std::string, const Figures*>> NeighbourRows(const NeighbourFigures& n) {
  return {{"B big", &n.b_big},
          {"service, two at once", &n.service},
          {"service, alone", &n.service_alone}};
}

std::string PerSecond(double rate) { return Fixed(rate, 2) + "/s"; }

std::string JsonNeighbour(const NeighbourFigures& n) {
  std::ostringstream o;
  o << "{\"b_big\":" << JsonFigures(n.b_big) << ",\"service\":" << JsonFigures(n.service)
    << ",\"service_alone\":" << JsonFigures(n.service_alone)
    << ",\"answers_per_second\":{\"a_alone\":" << JsonNumber(n.a_alone_rate)
    << ",\"a_with_b_big\":" << JsonNumber(n.a_with_big_rate)
    << ",\"b_big\":" << JsonNumber(n.b_big_rate)
    << ",\"a_with_b_tiny\":" << JsonNumber(n.a_with_tiny_rate)
    << ",\"b_big_in_tiny_phase\":" << JsonNumber(n.b_tiny_phase_rate)
    << ",\"with_b\":" << JsonNumber(n.shared_rate()) << "},\"workers\":" << n.workers
    << ",\"phase_service_seconds\":" << JsonNumber(n.phase_service_seconds()) << "}";
  return o.str();
}

// One target's row of the noisy-neighbour table.
void NeighbourRow(std::ostringstream& o, const std::string& who, const Figures& tiny,
                  const NeighbourFigures& n) {
  const auto b = n.b_big.latency.Summarize();
  const auto d = [](const Figures& f) {
    const auto s = f.latency.Summarize();
    return s.count == 0 ? std::string("-") : Duration(s.p50);
  };
  const auto t = tiny.latency.Summarize();
  // A server that answered none of A's jobs in a phase measured no rate.
  const auto rates = [&n](double a, double b_rate) {
    return n.a_alone_rate > 0 ? PerSecond(a) + " + " + PerSecond(b_rate) : std::string("-");
  };
  const bool answered = b.count > b.censored;
  o << "| " << who << " | "
    << (b.count ? (answered ? Duration(b.mean_us) : std::string("-")) + " (" + Duration(b.max) + ")"
                : "-")
    << " | " << d(n.service) << " / " << d(n.service_alone) << " | "
    << (t.count ? Duration(t.p50) + " / " + Duration(t.p99) : "-") << " | "
    << (n.a_alone_rate > 0 ? PerSecond(n.a_alone_rate) : "-") << " | "
    << rates(n.a_with_big_rate, n.b_big_rate) << " | "
    << rates(n.a_with_tiny_rate, n.b_tiny_phase_rate) << " | "
    << Ratio(n.shared_rate(), n.a_alone_rate) << " |\n";
}

// One phase's row of the admission table.
void AdmissionRow(std::ostringstream& o, const AdmissionPhase& p) {
  const auto w = p.accepted.latency.Summarize();
  const auto t = p.refusal_latency.Summarize();
  o << "| " << PhaseName(p) << " | " << p.accepted.answered << " (" << PerSecond(p.accepted.rate())
    << ") | "
    << (w.count ? Duration(w.p50) + " / " + Duration(w.p99) + " (" + Duration(w.max) + ")" : "-")
    << " | " << p.refused << " | " << (t.count ? Duration(t.p50) + " / " + Duration(t.p99) : "-")
    << " | " << RetryAfterText(p.retry_after_s) << " | ";
  std::string after;
  for (const auto& [seconds, waits] : p.wait_after_refusal) {
    const auto a = waits.Summarize();
    after += (after.empty() ? "" : "; ") + std::to_string(seconds) + " s: " + Duration(a.p50) +
             " / " + Duration(a.p99) + " (" + std::to_string(a.count) + ")";
  }
  o << (after.empty() ? "-" : after) << " | "
    << (p.retries ? std::to_string(p.retries_accepted) + " of " + std::to_string(p.retries)
                  : std::string("-"))
    << " |\n";
}

// One phase's line on what the workers used and waited for, and the cost
// model's error at the end of the phase.
void AdmissionCpu(std::ostringstream& o, const AdmissionPhase& p) {
  const Figures& f = p.accepted;
  o << "- " << PhaseName(p) << ": ";
  if (!f.cpu_known) {
    o << "not measured\n";
    return;
  }
  o << "the workers ran " << Fixed(f.worker_cpu_seconds, 1) << " s of CPU ("
    << (f.answered ? Fixed(f.worker_cpu_seconds / static_cast<double>(f.answered), 2) : "-")
    << " s per answer) and were runnable but waiting for a CPU for "
    << Fixed(f.worker_wait_seconds, 1) << " s";
  const double wanted = f.worker_cpu_seconds + f.worker_wait_seconds;
  if (f.worker_cpu_seconds > 0) {
    o << " (on a CPU " << Fixed(100 * f.worker_cpu_seconds / wanted, 0)
      << " % of the time they were runnable: a second of CPU work took about "
      << Fixed(wanted / f.worker_cpu_seconds, 1) << " s)";
  }
  for (const EstimateError& e : p.estimate_errors) {
    if (e.jobs == 0) continue;
    o << "; cost model at the end, " << e.algorithm << ": " << e.jobs
      << " jobs judged, measured / estimated CPU p50 " << Fixed(e.p50, 2) << ", p99 "
      << Fixed(e.p99, 2) << ", factor learned " << Fixed(e.factor, 2);
  }
  o << "\n";
}

std::string JsonAdmission(const std::vector<AdmissionPhase>& phases) {
  std::ostringstream o;
  o << "[";
  for (std::size_t i = 0; i < phases.size(); ++i) {
    const AdmissionPhase& p = phases[i];
    const auto t = p.refusal_latency.Summarize();
    o << (i ? "," : "") << "{\"max_wait_ms\":" << p.max_wait_ms
      << ",\"command\":" << JsonString(p.command) << ",\"answered\":" << JsonFigures(p.accepted)
      << ",\"refused\":" << p.refused << ",\"retry_after_s\":{";
    bool first = true;
    for (const auto& [seconds, n] : RetryAfterCounts(p.retry_after_s)) {
      o << (first ? "" : ",") << "\"" << seconds << "\":" << n;
      first = false;
    }
    o << "},\"refusal_latency\":{\"samples\":" << t.count << ",\"p50_us\":" << JsonNumber(t.p50.us)
      << ",\"p99_us\":" << JsonNumber(t.p99.us) << ",\"max_us\":" << JsonNumber(t.max.us)
      << "},\"wait_after_refusal\":{";
    first = true;
    for (const auto& [seconds, waits] : p.wait_after_refusal) {
      const auto a = waits.Summarize();
      o << (first ? "" : ",") << "\"" << seconds << "\":{\"samples\":" << a.count
        << ",\"p50_us\":" << JsonNumber(a.p50.us) << ",\"p99_us\":" << JsonNumber(a.p99.us) << "}";
      first = false;
    }
    o << "},\"retries\":" << p.retries << ",\"retries_accepted\":" << p.retries_accepted
      << ",\"ran\":" << (p.ran ? "true" : "false") << "}";
  }
  o << "]";
  return o.str();
}

}  // namespace

Report::Report(std::vector<ScenarioResult> results, ReportContext context)
    : results_(std::move(results)), context_(std::move(context)) {}

const ScenarioResult* Report::Find(const std::string& id) const {
  for (const auto& r : results_) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

std::vector<Report::TargetCheck> Report::CheckTargets() const {
  std::vector<TargetCheck> checks;
  // fibpool's rate in scenario `id` >= `min` x that of `against` (the
  // single-loop baseline or the per-core one).
  const auto ratio_target = [&](const std::string& id, const std::string& goal, double min,
                                Figures ScenarioResult::*against) {
    TargetCheck c;
    c.goal = goal;
    if (const ScenarioResult* r = Find(id); r && (r->*against).measured()) {
      const double f = r->fibpool.rate();
      const double b = (r->*against).rate();
      c.value = b > 0 ? f / b : 0;
      c.verdict = c.value >= min ? Verdict::kMet : Verdict::kMissed;
      c.measured = Fixed(c.value, 2) + "x (" + Thousands(f) + " vs " + Thousands(b) + " req/s)";
    }
    checks.push_back(c);
  };
  // fibpool's p50 on one connection at most `max_us` over that of `against`.
  const auto added_p50 = [&](const std::string& goal, double max_us,
                             Figures ScenarioResult::*against) {
    TargetCheck c;
    c.goal = goal;
    if (const ScenarioResult* r = Find("tiny-1"); r && (r->*against).measured()) {
      const double f = r->fibpool.latency.Summarize().p50.us;
      const double b = (r->*against).latency.Summarize().p50.us;
      c.value = f - b;
      c.verdict = c.value <= max_us ? Verdict::kMet : Verdict::kMissed;
      c.measured = (c.value >= 0 ? "+" : "") + Fixed(c.value, 1) + " µs (p50 " + Duration(f) +
                   " vs " + Duration(b) + ")";
    }
    checks.push_back(c);
  };
  constexpr auto kLoop = &ScenarioResult::baseline;
  constexpr auto kPerCore = &ScenarioResult::per_core;
  ratio_target("tiny-8", "tiny jobs on 8 connections >= 0.6x baseline", 0.6, kLoop);
  ratio_target("tiny-8x16", "pipelined (8 connections x 16 deep) >= 0.3x baseline", 0.3, kLoop);
  ratio_target("rec30-8", "`30 recursive` on 8 connections >= 0.9x baseline", 0.9, kLoop);
  added_p50("added p50 latency on 1 connection <= 20 µs over baseline", 20, kLoop);
  ratio_target("tiny-8", "tiny jobs on 8 connections >= 0.8x per-core baseline", 0.8, kPerCore);
  ratio_target("tiny-8x16", "pipelined (8 connections x 16 deep) >= 0.7x per-core baseline", 0.7,
               kPerCore);
  ratio_target("rec30-8", "`30 recursive` on 8 connections >= 0.95x per-core baseline", 0.95,
               kPerCore);
  added_p50("added p50 latency on 1 connection <= 10 µs over per-core baseline", 10, kPerCore);
  // `rate`: the scenario's tiny requests ran through its whole window, so
  // their rate means something (otherwise the count of answers is shown).
  const auto tiny_p99 = [&](const std::string& id, const std::string& goal, double max_ms,
                            bool rate) {
    TargetCheck c;
    c.goal = goal;
    if (const ScenarioResult* r = Find(id)) {
      const auto summary = r->fibpool.latency.Summarize();
      const auto p = summary.p99;
      c.value = p.us / 1e3;
      c.verdict = (summary.count > 0 && !p.lower_bound && c.value <= max_ms) ? Verdict::kMet
                                                                             : Verdict::kMissed;
      c.measured = "p99 " + Duration(p) + " (p50 " + Duration(summary.p50) + ", " +
                   (rate ? Thousands(r->fibpool.rate()) + " req/s)"
                         : std::to_string(r->fibpool.answered) + " answers)");
    }
    checks.push_back(c);
  };
  tiny_p99("busy", "tiny-job p99 <= 5 ms while every worker is busy with a big job", 5, true);
  tiny_p99("busy", "tiny-job p99 <= 2 ms while every main worker runs a big job", 2, true);
  {
    TargetCheck c;
    c.goal = "F(10^8) end to end <= 1.15x its in-process compute time";
    if (const ScenarioResult* r = Find("big-1e8")) {
      const double f = MeanSeconds(r->fibpool);
      const double b = MeanSeconds(r->baseline);
      c.value = b > 0 ? f / b : 0;
      c.verdict = (b > 0 && f > 0 && c.value <= 1.15) ? Verdict::kMet : Verdict::kMissed;
      c.measured = Fixed(c.value, 2) + "x (" + Fixed(f, 3) + " s vs " + Fixed(b, 3) + " s)";
    }
    checks.push_back(c);
  }
  const ScenarioResult* noisy = Find("noisy");
  const NeighbourFigures* n =
      noisy && noisy->fibpool_neighbour.ran ? &noisy->fibpool_neighbour : nullptr;
  {
    TargetCheck c;
    c.goal =
        "noisy neighbour: B's big job behind A's backlog <= 2.5x its own service time (B's mean, "
        "service median)";
    if (n) {
      const auto b = n->b_big.latency.Summarize();
      const auto service = n->service_basis().latency.Summarize();
      const auto alone = n->service_alone.latency.Summarize();
      // Every one of B's few jobs counts (a phase holds 2 on a loaded host,
      // where a median would pick one of them); an unanswered one misses.
      c.value = service.p50.us > 0 ? b.mean_us / service.p50.us : 0;
      c.verdict = (b.count > 0 && b.censored == 0 && service.count > 0 && c.value <= 2.5)
                      ? Verdict::kMet
                      : Verdict::kMissed;
      c.measured = Fixed(c.value, 2) + "x (" + Duration(b.mean_us) + " vs " +
                   Duration(service.p50) + (n->service.answered > 0 ? " two at once" : " alone") +
                   "; " + std::to_string(b.count) + (b.count == 1 ? " job" : " jobs") + ", max " +
                   Duration(b.max) + "; " + Ratio(b.mean_us, alone.p50.us) + " its time alone, " +
                   Duration(alone.p50) + "; " + Ratio(b.mean_us / 1e6, n->phase_service_seconds()) +
                   " the mean job time of the phase itself, " +
                   Duration(n->phase_service_seconds() * 1e6) + ")";
    }
    checks.push_back(c);
  }
  tiny_p99("noisy", "noisy neighbour: B's tiny jobs p99 <= 5 ms while A's backlog stands", 5,
           false);
  {
    TargetCheck c;
    c.goal = "noisy neighbour: big-job answers/s with B present (A's + B's) >= 0.95x A's alone";
    if (n) {
      c.value = n->a_alone_rate > 0 ? n->shared_rate() / n->a_alone_rate : 0;
      c.verdict = c.value >= 0.95 ? Verdict::kMet : Verdict::kMissed;
      c.measured = Fixed(c.value, 2) + "x (" + PerSecond(n->shared_rate()) + " vs " +
                   PerSecond(n->a_alone_rate) + "; beside B's big jobs A " +
                   PerSecond(n->a_with_big_rate) + " + B " + PerSecond(n->b_big_rate) +
                   ", beside B's tiny jobs A " + PerSecond(n->a_with_tiny_rate) + ")";
    }
    checks.push_back(c);
  }
  return checks;
}

std::vector<std::string> Report::Problems() const {
  std::vector<std::string> out;
  for (const auto& r : results_) {
    const auto check = [&](const Figures& f, const std::string& who, bool stall_expected) {
      if (!f.measured()) return;  // not run (--only, or not in this scenario)
      if (f.wrong > 0) {
        out.push_back(r.id + " " + who + ": " + std::to_string(f.wrong) +
                      " wrong answers; first: " + f.first_error);
      }
      if (f.unanswered > 0 && !stall_expected) {
        out.push_back(r.id + " " + who + ": " + std::to_string(f.unanswered) + " unanswered; " +
                      f.first_error);
      }
      if (f.answered == 0 && !stall_expected) {
        out.push_back(r.id + " " + who + ": no answers" +
                      (f.first_error.empty() ? "" : "; " + f.first_error));
      }
    };
    // The baseline stalls in these on purpose: it computes big jobs inline.
    const bool stalls = r.id == "busy" || r.id == "noisy";
    check(r.fibpool, "fibpool", false);
    check(r.baseline, r.baseline.label, stalls);
    check(r.per_core, r.per_core.label, false);
    if (r.has_background) {
      check(r.fibpool_background, "fibpool " + r.background_role, false);
      check(r.baseline_background, "baseline " + r.background_role, true);
    }
    for (const auto& [role, f] : NeighbourRows(r.fibpool_neighbour)) {
      check(*f, "fibpool " + role, false);
    }
    for (const auto& [role, f] : NeighbourRows(r.baseline_neighbour)) {
      check(*f, "baseline " + role, role == "B big");
    }
    for (const AdmissionPhase& p : r.admission)
      check(p.accepted, "fibpool, " + PhaseName(p), false);
  }
  return out;
}

std::string Report::Markdown() const {
  std::ostringstream o;
  o << "Command: `" << context_.command << "`\n\n";
  o << "- fibpool: " << context_.fibpool << "\n";
  o << "- baseline (1 loop): " << context_.baseline << "\n";
  o << "- per-core baseline (load scenarios): " << context_.per_core << "\n";
  for (const auto& c : context_.conditions) o << "- " << c << "\n";
  o << "\n";

  std::uint64_t checked = 0;
  std::uint64_t wrong = 0;
  for (const auto& r : results_) {
    std::vector<const Figures*> all = {&r.fibpool, &r.baseline, &r.per_core, &r.fibpool_background,
                                       &r.baseline_background};
    for (const NeighbourFigures* n : {&r.fibpool_neighbour, &r.baseline_neighbour}) {
      for (const auto& row : NeighbourRows(*n)) all.push_back(row.second);
    }
    for (const AdmissionPhase& p : r.admission) all.push_back(&p.accepted);
    for (const Figures* f : all) {
      checked += f->answered;
      wrong += f->wrong;
    }
  }
  o << "### Summary\n\n";
  o << "fibpool's figure over each baseline's: the single-loop baseline (for big results, the "
       "computation in the bench process) and, in the load scenarios, the per-core baseline.\n\n";
  o << "| scenario | what | measure | fibpool | baseline, 1 loop | baseline, per core | fibpool "
       "vs 1-loop | fibpool vs per-core |\n";
  o << "|---|---|---|---:|---:|---:|---:|---:|\n";
  for (const auto& r : results_) {
    const std::string baseline = HeadlineFigure(r, r.baseline);
    o << "| " << r.id << " | " << r.title << " | " << MeasureName(r.measure) << " | "
      << HeadlineFigure(r, r.fibpool) << " | "
      << (r.measure == ScenarioResult::Measure::kSeconds && r.baseline.measured()
              ? baseline + " (" + r.baseline.label + ")"
              : baseline)
      << " | " << HeadlineFigure(r, r.per_core) << " | " << FibpoolVersus(r, r.baseline).ratio
      << " | " << FibpoolVersus(r, r.per_core).ratio << " |\n";
  }
  o << "\nEvery answer was checked against F(N) computed in the bench: " << checked << " answers, "
    << wrong << " wrong.\n";

  o << "\n### Latency and CPU cost\n\n";
  o << "Latency: request written to last byte of its answer read, for requests sent inside the "
       "measured windows. CPU per answer (µs): server process / its workers / the bench client, "
       "over whole runs (warm-up included); in the busy and noisy scenarios all of it is shown, as "
       "totals, on the big jobs' (A's) rows; for `in-process`, the first figure is the bench "
       "thread computing. "
       "Scheduled "
       "in per answer: how many times the server's and the workers' threads were put on a CPU "
       "(wake-ups from sleep plus returns from preemption), from /proc/PID/task/*/schedstat.\n\n";
  o << "| scenario | target | req/s (slices min–max) | p50 | p90 | p99 | max | answers | wrong | "
       "unanswered | CPU µs/answer (server / workers / client) | scheduled in per answer "
       "(server / workers) |\n";
  o << "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n";
  for (const auto& r : results_) {
    // The noisy scenario's tiny jobs run in one of its four phases: no rate.
    const bool rate = r.measure != ScenarioResult::Measure::kSeconds && r.id != "noisy";
    const std::string role = r.has_background ? " (" + r.main_role + ")" : "";
    if (r.fibpool.measured()) DetailRow(o, r.id, r.fibpool.label + role, r.fibpool, rate);
    if (r.baseline.measured()) DetailRow(o, r.id, r.baseline.label + role, r.baseline, rate);
    if (r.per_core.measured()) DetailRow(o, r.id, r.per_core.label + role, r.per_core, rate);
    for (const AdmissionPhase& p : r.admission) {
      DetailRow(o, r.id, "fibpool (" + PhaseName(p) + ")", p.accepted, true);
    }
    if (r.has_background) {
      const std::string background = " (" + r.background_role + ")";
      DetailRow(o, r.id, r.fibpool_background.label + background, r.fibpool_background, false,
                true);
      DetailRow(o, r.id, r.baseline_background.label + background, r.baseline_background, false,
                true);
    }
    for (const auto* n : {&r.fibpool_neighbour, &r.baseline_neighbour}) {
      const std::string who = n == &r.fibpool_neighbour ? "fibpool" : "baseline";
      for (const auto& [row_role, f] : NeighbourRows(*n)) {
        if (f->sent > 0) DetailRow(o, r.id, who + " (" + row_role + ")", *f, false);
      }
    }
  }
  bool any_notes = false;
  for (const auto& r : results_) {
    for (const auto& n : r.notes) {
      if (!any_notes) o << "\nNotes:\n";
      any_notes = true;
      o << "- " << r.id << ": " << n << "\n";
    }
  }

  if (const ScenarioResult* r = Find("noisy")) {
    o << "\n### Noisy neighbour\n\n"
      << r->title
      << ". B's big job: latency behind A's backlog, mean (max); its service time with no "
         "backlog, median, two at once (as behind A, where one of A's jobs runs beside it) and "
         "alone; big-job answers per second in each phase (interpolated between answers), and "
         "the ratio of both B phases (A's and B's answers) to A alone.\n\n";
    o << "| target | B's big job behind A | service time (two at once / alone) | B's tiny jobs "
         "(p50 "
         "/ p99) | A alone | B asks big jobs: A + B | B asks tiny jobs: A + B | with B / A alone "
         "|\n";
    o << "|---|---:|---:|---:|---:|---:|---:|---:|\n";
    if (r->fibpool_neighbour.ran) NeighbourRow(o, "fibpool", r->fibpool, r->fibpool_neighbour);
    if (r->baseline_neighbour.ran) NeighbourRow(o, "baseline", r->baseline, r->baseline_neighbour);
  }

  if (const ScenarioResult* r = Find("admission"); r && !r->admission.empty()) {
    o << "\n### Admission\n\n"
      << r->title
      << ". Each phase ran against a fibpool of its own, started for it (commands in the notes). "
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
         "coming back), not S. The baselines have no admission: they are not run.\n\n";
    o << "| phase | answered | their wait: p50 / p99 (max) | refused | told in: p50 / p99 | "
         "retry_after S: refusals | next accepted job's wait after a refusal, per S | retries "
         "accepted |\n";
    o << "|---|---:|---:|---:|---:|---|---|---:|\n";
    for (const AdmissionPhase& p : r->admission) AdmissionRow(o, p);
    o << "\nThe estimates behind S are CPU time (the cost model, corrected by what the pool "
         "measured); the waits above are wall time. What the workers got of the CPU:\n\n";
    for (const AdmissionPhase& p : r->admission) AdmissionCpu(o, p);
  }

  if (!context_.estimate_errors.empty()) {
    o << "\n### Cost model\n\n";
    o << "fibpool's estimate error at the end of the run, from its `stats` (`estimate_error`): "
         "a job's CPU time measured in its worker over the estimate it was scheduled and "
         "admitted with (1 is exact), for jobs estimated at 1 ms or more, and the correction "
         "factor fibpool learned over the reference machine's model.\n\n";
    o << "| algorithm | jobs judged | p50 measured / estimated | p99 | factor learned |\n";
    o << "|---|---:|---:|---:|---:|\n";
    for (const auto& e : context_.estimate_errors) {
      o << "| " << e.algorithm << " | " << e.jobs << " | " << (e.jobs > 0 ? Fixed(e.p50, 2) : "-")
        << " | " << (e.jobs > 0 ? Fixed(e.p99, 2) : "-") << " | " << Fixed(e.factor, 2) << " |\n";
    }
  }

  o << "\n### Targets (measured in this run, --workers " << context_.workers << ")\n\n";
  o << "| target | measured | verdict |\n|---|---|---|\n";
  for (const auto& c : CheckTargets()) {
    o << "| " << c.goal << " | " << (c.verdict == Verdict::kNotRun ? "-" : c.measured) << " | "
      << (c.verdict == Verdict::kMet      ? "met"
          : c.verdict == Verdict::kMissed ? "**missed**"
                                          : "not run")
      << " |\n";
  }
  const auto problems = Problems();
  if (!problems.empty()) {
    o << "\n### Problems\n\n";
    for (const auto& p : problems) o << "- " << p << "\n";
  }
  return o.str();
}

std::string Report::Json() const {
  std::ostringstream o;
  o << "{\"command\":" << JsonString(context_.command)
    << ",\"fibpool\":" << JsonString(context_.fibpool)
    << ",\"baseline\":" << JsonString(context_.baseline)
    << ",\"per_core_baseline\":" << JsonString(context_.per_core)
    << ",\"workers\":" << context_.workers << ",\"conditions\":[";
  for (std::size_t i = 0; i < context_.conditions.size(); ++i) {
    o << (i ? "," : "") << JsonString(context_.conditions[i]);
  }
  o << "],\"scenarios\":[";
  for (std::size_t i = 0; i < results_.size(); ++i) {
    const auto& r = results_[i];
    o << (i ? "," : "") << "{\"id\":" << JsonString(r.id) << ",\"title\":" << JsonString(r.title)
      << ",\"measure\":" << JsonString(MeasureName(r.measure))
      << ",\"ratio\":" << JsonRatio(FibpoolVersus(r, r.baseline))
      << ",\"ratio_per_core\":" << JsonRatio(FibpoolVersus(r, r.per_core))
      << ",\"fibpool\":" << JsonFigures(r.fibpool) << ",\"baseline\":" << JsonFigures(r.baseline);
    if (r.per_core.measured()) o << ",\"per_core\":" << JsonFigures(r.per_core);
    if (r.has_background) {
      o << ",\"fibpool_background\":" << JsonFigures(r.fibpool_background)
        << ",\"baseline_background\":" << JsonFigures(r.baseline_background);
    }
    if (r.fibpool_neighbour.ran || r.baseline_neighbour.ran) {
      o << ",\"fibpool_neighbour\":" << JsonNeighbour(r.fibpool_neighbour)
        << ",\"baseline_neighbour\":" << JsonNeighbour(r.baseline_neighbour);
    }
    if (!r.admission.empty()) o << ",\"admission\":" << JsonAdmission(r.admission);
    if (!r.others.empty()) {
      o << ",\"others\":[";
      for (std::size_t k = 0; k < r.others.size(); ++k) {
        o << (k ? "," : "") << "{\"main\":" << JsonFigures(r.others[k].main)
          << ",\"background\":" << JsonFigures(r.others[k].background) << "}";
      }
      o << "]";
    }
    o << ",\"notes\":[";
    for (std::size_t k = 0; k < r.notes.size(); ++k) o << (k ? "," : "") << JsonString(r.notes[k]);
    o << "]}";
  }
  o << "],\"targets\":[";
  const auto checks = CheckTargets();
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const auto& c = checks[i];
    o << (i ? "," : "") << "{\"goal\":" << JsonString(c.goal)
      << ",\"measured\":" << JsonString(c.measured) << ",\"value\":" << JsonNumber(c.value)
      << ",\"verdict\":"
      << JsonString(c.verdict == Verdict::kMet      ? "met"
                    : c.verdict == Verdict::kMissed ? "missed"
                                                    : "not run")
      << "}";
  }
  o << "],\"estimate_error\":[";
  for (std::size_t i = 0; i < context_.estimate_errors.size(); ++i) {
    const auto& e = context_.estimate_errors[i];
    o << (i ? "," : "") << "{\"algorithm\":" << JsonString(e.algorithm) << ",\"jobs\":" << e.jobs
      << ",\"p50\":" << JsonNumber(e.p50) << ",\"p99\":" << JsonNumber(e.p99)
      << ",\"factor\":" << JsonNumber(e.factor) << "}";
  }
  o << "],\"problems\":[";
  const auto problems = Problems();
  for (std::size_t i = 0; i < problems.size(); ++i) o << (i ? "," : "") << JsonString(problems[i]);
  o << "]}\n";
  return o.str();
}

}  // namespace fibpool::bench
