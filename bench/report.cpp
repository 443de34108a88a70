#include "bench/report.h"

#include <algorithm>
#include <optional>
#include <utility>

#include <boost/json.hpp>

#include "bench/admission_scenario.h"
#include "bench/figure_text.h"
#include "bench/figures_json.h"
#include "bench/report_sections.h"
#include "bench/report_table.h"
#include "bench/report_targets.h"

namespace fibpool::bench {

namespace {

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
    case ScenarioResult::Measure::kPerf2:
      return "perf2 req/s alone (median)";
  }
  return "";
}

// perf2's median alone in the articles scenario for the target whose
// Figures `f` are (fibpool or the minimal reference); nullopt for another or
// without a median.
std::optional<double> Perf2Alone(const ScenarioResult& r, const Figures& f) {
  if (&f == &r.fibpool) return r.fibpool_articles.alone.median;
  if (&f == &r.minimal) return r.minimal_articles.alone.median;
  return std::nullopt;
}

// A scenario's headline figure of one target ("-" when it was not measured).
// The admission scenario measures fibpool in its phases; the baselines have
// no admission.
std::string HeadlineFigure(const ScenarioResult& r, const Figures& f) {
  if (r.measure == ScenarioResult::Measure::kAdmission) {
    return &f == &r.fibpool ? AdmissionWaits(r) : "no admission";
  }
  if (r.measure == ScenarioResult::Measure::kPerf2) {
    const std::optional<double> median = Perf2Alone(r, f);
    return median ? Thousands(*median) : "-";
  }
  if (!f.measured()) return "-";
  switch (r.measure) {
    case ScenarioResult::Measure::kRate:
      return Thousands(f.rate());
    case ScenarioResult::Measure::kP99: {
      const auto s = f.latency.Summarize();
      return s.count ? Duration(s.p99) : "-";
    }
    case ScenarioResult::Measure::kSeconds:
      return Fixed(f.mean_seconds(), 3) + " s";
    case ScenarioResult::Measure::kAdmission:
    case ScenarioResult::Measure::kPerf2:
      break;  // above
  }
  return "-";
}

// fibpool against one baseline in a scenario's measure, as a cell: "n/a"
// (JSON null) when either was not measured or the ratio means nothing
// (fibpool's p99 a lower bound).
Cell FibpoolVersus(const ScenarioResult& r, const Figures& other) {
  const Cell none("n/a", nullptr);
  if (r.measure == ScenarioResult::Measure::kPerf2) {
    const std::optional<double> f = Perf2Alone(r, r.fibpool);
    const std::optional<double> b = Perf2Alone(r, other);
    if (!f || !b) return none;
    return {Ratio(*f, *b), *b > 0 ? JsonNumber(*f / *b) : nullptr};
  }
  if (!r.fibpool.measured() || !other.measured()) return none;
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
      if (fs.count == 0 || bs.count == 0 || fs.p99.lower_bound) return none;
      f = fs.p99.us;
      b = bs.p99.us;
      if (bs.p99.lower_bound) prefix = "≤ ";
      break;
    }
    case ScenarioResult::Measure::kSeconds:
      f = r.fibpool.mean_seconds();
      b = other.mean_seconds();
      break;
    case ScenarioResult::Measure::kAdmission:
      return none;  // the baselines have no admission
    case ScenarioResult::Measure::kPerf2:
      break;  // above
  }
  return {prefix + Ratio(f, b), b > 0 ? JsonNumber(f / b) : nullptr};
}

// One row per scenario; in JSON, the start of each scenario's object.
Table SummaryTable(const std::vector<ScenarioResult>& results) {
  Table table({{"scenario", "id"},
               {"what", "title"},
               {"measure", "measure"},
               {"fibpool", "", true},
               {"baseline, 1 loop", "", true},
               {"baseline, per core", "", true},
               {"minimal, per core", "", true},
               {"fibpool vs 1-loop", "ratio", true},
               {"fibpool vs per-core", "ratio_per_core", true},
               {"fibpool vs minimal", "ratio_minimal", true}});
  for (const auto& r : results) {
    std::string baseline = HeadlineFigure(r, r.baseline);
    if (r.measure == ScenarioResult::Measure::kSeconds && r.baseline.measured()) {
      baseline += " (" + r.baseline.label + ")";
    }
    table.AddRow({r.id, r.title, MeasureName(r.measure), HeadlineFigure(r, r.fibpool), baseline,
                  HeadlineFigure(r, r.per_core), HeadlineFigure(r, r.minimal),
                  FibpoolVersus(r, r.baseline), FibpoolVersus(r, r.per_core),
                  FibpoolVersus(r, r.minimal)});
  }
  return table;
}

// One target's row of the latency and CPU table. `rate`: its requests/s
// means something; `totals`: CPU and scheduling as totals over the runs
// instead of per answer (background jobs: a handful of answers that carry
// all the work).
std::vector<Cell> DetailCells(const std::string& id, const std::string& who, const Figures& f,
                              bool rate, bool totals = false) {
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
  std::string cpu = "-";
  std::string scheduled = "-";
  if (totals) {
    if (f.cpu_known) {
      cpu = "total " + Fixed(f.server_cpu_seconds, 2) + " s / " + Fixed(f.worker_cpu_seconds, 2) +
            " s / " + Fixed(f.client_cpu_seconds, 2) + " s";
      scheduled =
          "total " + std::to_string(f.server_wakeups) + " / " + std::to_string(f.worker_wakeups);
    }
  } else {
    cpu = f.cpu_known ? PerAnswer(f.server_cpu_seconds, f.answered) + " / " +
                            PerAnswer(f.worker_cpu_seconds, f.answered) + " / "
                      : std::string("- / - / ");
    cpu += PerAnswer(f.client_cpu_seconds, f.answered);
    if (f.cpu_known && f.answered > 0 && f.label != "in-process") {
      const auto per = [&f](std::uint64_t n) {
        return Fixed(static_cast<double>(n) / static_cast<double>(f.answered), 2);
      };
      scheduled = per(f.server_wakeups) + " / " + per(f.worker_wakeups);
    }
  }
  return {id,
          who,
          rate_text,
          d(s.p50),
          d(s.p90),
          d(s.p99),
          d(s.max),
          std::to_string(f.answered),
          std::to_string(f.wrong),
          std::to_string(f.unanswered),
          cpu,
          scheduled};
}

// Every measured target of every scenario: latency percentiles, counts and
// CPU cost.
Table DetailTable(const std::vector<ScenarioResult>& results) {
  Table table({{"scenario"},
               {"target"},
               {"req/s (slices min–max)", "", true},
               {"p50", "", true},
               {"p90", "", true},
               {"p99", "", true},
               {"max", "", true},
               {"answers", "", true},
               {"wrong", "", true},
               {"unanswered", "", true},
               {"CPU µs/answer (server / workers / client)"},
               {"scheduled in per answer (server / workers)"}});
  for (const auto& r : results) {
    const bool rate = r.measure != ScenarioResult::Measure::kSeconds && r.main_rate;
    const std::string role = r.has_background ? " (" + r.main_role + ")" : "";
    for (const Figures* f : {&r.fibpool, &r.baseline, &r.per_core, &r.minimal}) {
      if (f->measured()) table.AddRow(DetailCells(r.id, f->label + role, *f, rate));
    }
    for (const AdmissionPhase& p : r.admission) {
      table.AddRow(DetailCells(r.id, "fibpool (" + PhaseName(p) + ")", p.accepted, true));
    }
    if (r.has_background) {
      const std::string background = " (" + r.background_role + ")";
      for (const Figures* f : {&r.fibpool_background, &r.baseline_background}) {
        table.AddRow(DetailCells(r.id, f->label + background, *f, false, true));
      }
    }
    for (const auto* n : {&r.fibpool_neighbour, &r.baseline_neighbour}) {
      const std::string who = n == &r.fibpool_neighbour ? "fibpool" : "baseline";
      for (const auto& [row_role, f] : NeighbourRows(*n)) {
        if (f->sent > 0) table.AddRow(DetailCells(r.id, who + " (" + row_role + ")", *f, false));
      }
    }
  }
  return table;
}

// fibpool's cost model error, per algorithm.
Table CostModelTable(const std::vector<EstimateError>& errors) {
  Table table({{"algorithm", "algorithm"},
               {"jobs judged", "jobs", true},
               {"p50 measured / estimated", "p50", true},
               {"p99", "p99", true},
               {"factor learned", "factor", true}});
  for (const auto& e : errors) {
    table.AddRow({e.algorithm,
                  {std::to_string(e.jobs), e.jobs},
                  {e.jobs > 0 ? Fixed(e.p50, 2) : "-", JsonNumber(e.p50)},
                  {e.jobs > 0 ? Fixed(e.p99, 2) : "-", JsonNumber(e.p99)},
                  {Fixed(e.factor, 2), JsonNumber(e.factor)}});
  }
  return table;
}

boost::json::array StringsJson(const std::vector<std::string>& strings) {
  return boost::json::array(strings.begin(), strings.end());
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
    const bool stalls = r.baseline_stalls;
    check(r.fibpool, "fibpool", false);
    check(r.baseline, r.baseline.label, stalls);
    check(r.per_core, r.per_core.label, false);
    check(r.minimal, r.minimal.label, false);
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
    for (const ArticlesFigures* a : {&r.fibpool_articles, &r.minimal_articles}) {
      if (!a->ran) continue;
      const std::string who = r.id + " " + a->label;
      for (const auto& [phase, p] : {std::pair{"alone", &a->alone},
                                     std::pair{"during the big job", &a->during_big_job},
                                     std::pair{"beside perf1", &a->beside_perf1}}) {
        if (!p->error.empty()) out.push_back(who + " perf2 " + phase + ": " + p->error);
      }
      // The minimal reference computes inline and may stall past the wait.
      using Big = ArticlesFigures::BigAnswer;
      if (a->big_answer == Big::kWrong || a->big_answer == Big::kNotSent ||
          (a->big_answer == Big::kNotAwaited && a != &r.minimal_articles)) {
        out.push_back(who + " `" + a->big_job + "`: " + BigAnswerName(a->big_answer) + "; " +
                      a->big_error);
      }
    }
  }
  return out;
}

std::string Report::Markdown() const {
  std::string o = "Command: `" + context_.command + "`\n\n";
  o += "- fibpool: " + context_.fibpool + "\n";
  o += "- baseline (1 loop): " + context_.baseline + "\n";
  o += "- per-core baseline (load scenarios): " + context_.per_core + "\n";
  o += "- minimal reference (load scenarios): " + context_.minimal + "\n";
  for (const auto& c : context_.conditions) o += "- " + c + "\n";
  o += "\n";

  std::uint64_t checked = 0;
  std::uint64_t wrong = 0;
  for (const auto& r : results_) {
    std::vector<const Figures*> all = {&r.fibpool,    &r.baseline,           &r.per_core,
                                       &r.minimal,    &r.fibpool_background, &r.baseline_background};
    for (const NeighbourFigures* n : {&r.fibpool_neighbour, &r.baseline_neighbour}) {
      for (const auto& row : NeighbourRows(*n)) all.push_back(row.second);
    }
    for (const AdmissionPhase& p : r.admission) all.push_back(&p.accepted);
    for (const Figures* f : all) {
      checked += f->answered;
      wrong += f->wrong;
    }
  }
  o += "### Summary\n\n";
  o += "fibpool's figure over each baseline's: the single-loop baseline (for big results, the "
       "computation in the bench process) and, in the load scenarios, the per-core baseline and "
       "the minimal reference (fibpool-minimal: an epoll loop per CPU computing inline, no Asio; "
       "the physical limit of this machine), which the articles scenario measures too.\n\n";
  o += SummaryTable(results_).Markdown();
  o += "\nEvery answer was checked against F(N) computed in the bench: " + std::to_string(checked) +
       " answers, " + std::to_string(wrong) + " wrong.\n";

  o += "\n### Latency and CPU cost\n\n";
  o += "Latency: request written to last byte of its answer read, for requests sent inside the "
       "measured windows. CPU per answer (µs): server process / its workers / the bench client, "
       "over whole runs (warm-up included); in the busy and noisy scenarios all of it is shown, as "
       "totals, on the big jobs' (A's) rows; for `in-process`, the first figure is the bench "
       "thread computing. Scheduled in per answer: how many times the server's and the workers' "
       "threads were put on a CPU (wake-ups from sleep plus returns from preemption), from "
       "/proc/PID/task/*/schedstat.\n\n";
  o += DetailTable(results_).Markdown();
  bool any_notes = false;
  for (const auto& r : results_) {
    for (const auto& n : r.notes) {
      if (!any_notes) o += "\nNotes:\n";
      any_notes = true;
      o += "- " + r.id + ": " + n + "\n";
    }
  }

  if (const ScenarioResult* r = Find("articles")) o += ArticlesMarkdown(*r);
  if (const ScenarioResult* r = Find("noisy")) o += NoisyMarkdown(*r);
  if (const ScenarioResult* r = Find("admission"); r && !r->admission.empty()) {
    o += AdmissionMarkdown(*r);
  }

  if (!context_.estimate_errors.empty()) {
    o += "\n### Cost model\n\n";
    o += "fibpool's estimate error at the end of the run, from its `stats` (`estimate_error`): "
         "a job's CPU time measured in its worker over the estimate it was scheduled and "
         "admitted with (1 is exact), for jobs estimated at 1 ms or more, and the correction "
         "factor fibpool learned over the reference machine's model.\n\n";
    o += CostModelTable(context_.estimate_errors).Markdown();
  }

  o += "\n### Targets (measured in this run, --workers " + std::to_string(context_.workers) +
       ")\n\n";
  o += TargetsTable(CheckTargets(results_)).Markdown();
  const auto problems = Problems();
  if (!problems.empty()) {
    o += "\n### Problems\n\n";
    for (const auto& p : problems) o += "- " + p + "\n";
  }
  return o;
}

std::string Report::Json() const {
  namespace json = boost::json;
  json::array scenarios = SummaryTable(results_).Json();
  for (std::size_t i = 0; i < results_.size(); ++i) {
    const ScenarioResult& r = results_[i];
    json::object& s = scenarios[i].as_object();
    s["fibpool"] = FiguresJson(r.fibpool);
    s["baseline"] = FiguresJson(r.baseline);
    if (r.per_core.measured()) s["per_core"] = FiguresJson(r.per_core);
    if (r.minimal.measured()) s["minimal"] = FiguresJson(r.minimal);
    if (r.has_background) {
      s["fibpool_background"] = FiguresJson(r.fibpool_background);
      s["baseline_background"] = FiguresJson(r.baseline_background);
    }
    if (r.fibpool_neighbour.ran || r.baseline_neighbour.ran) {
      s["fibpool_neighbour"] = NeighbourJson(r.fibpool_neighbour);
      s["baseline_neighbour"] = NeighbourJson(r.baseline_neighbour);
    }
    if (!r.admission.empty()) s["admission"] = AdmissionJson(r.admission);
    if (r.measure == ScenarioResult::Measure::kPerf2) {
      s["articles"] = {{"fibpool", ArticlesFiguresJson(r.fibpool_articles)},
                       {"minimal", ArticlesFiguresJson(r.minimal_articles)}};
    }
    if (!r.others.empty()) {
      json::array others;
      for (const auto& other : r.others) {
        others.push_back(json::object{{"main", FiguresJson(other.main)},
                                      {"background", FiguresJson(other.background)}});
      }
      s["others"] = std::move(others);
    }
    s["notes"] = StringsJson(r.notes);
  }
  const json::object root{{"command", context_.command},
                          {"fibpool", context_.fibpool},
                          {"baseline", context_.baseline},
                          {"per_core_baseline", context_.per_core},
                          {"minimal_reference", context_.minimal},
                          {"workers", context_.workers},
                          {"conditions", StringsJson(context_.conditions)},
                          {"scenarios", std::move(scenarios)},
                          {"targets", TargetsTable(CheckTargets(results_)).Json()},
                          {"estimate_error", CostModelTable(context_.estimate_errors).Json()},
                          {"problems", StringsJson(Problems())}};
  return json::serialize(root) + "\n";
}

}  // namespace fibpool::bench
