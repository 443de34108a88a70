#include "bench/report_targets.h"

#include <cstdio>
#include <functional>
#include <optional>

#include "bench/figure_text.h"

namespace fibpool::bench {

namespace {

using Comparison = PerformanceTarget::Comparison;
using Unit = PerformanceTarget::Unit;

// A target's figure from one run. `valid` false: the figure cannot meet the
// target whatever its value (a lower bound, nothing answered).
struct Measured {
  double value = 0;
  std::string text;
  bool valid = true;
};

using Results = std::vector<ScenarioResult>;
// nullopt: the target was not run.
using Measure = std::function<std::optional<Measured>(const Results&)>;

const ScenarioResult* Find(const Results& results, const std::string& id) {
  for (const auto& r : results) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

// fibpool's rate in scenario `id` over that of `against` (the single-loop
// baseline, the per-core one or the minimal reference).
Measure RateOver(std::string id, Figures ScenarioResult::*against) {
  return [id, against](const Results& results) -> std::optional<Measured> {
    const ScenarioResult* r = Find(results, id);
    if (!r || !(r->*against).measured()) return std::nullopt;
    const double f = r->fibpool.rate();
    const double b = (r->*against).rate();
    const double ratio = b > 0 ? f / b : 0;
    return Measured{ratio,
                    Fixed(ratio, 2) + "x (" + Thousands(f) + " vs " + Thousands(b) + " req/s)"};
  };
}

// fibpool's p50 on one connection (tiny-1) minus that of `against`.
Measure AddedP50(Figures ScenarioResult::*against) {
  return [against](const Results& results) -> std::optional<Measured> {
    const ScenarioResult* r = Find(results, "tiny-1");
    if (!r || !(r->*against).measured()) return std::nullopt;
    const double f = r->fibpool.latency.Summarize().p50.us;
    const double b = (r->*against).latency.Summarize().p50.us;
    const double added = f - b;
    std::string text = added >= 0 ? "+" : "";
    text += Fixed(added, 1) + " µs (p50 " + Duration(f) + " vs " + Duration(b) + ")";
    return Measured{added, text};
  };
}

// fibpool's tiny-job p99 in scenario `id`, in ms. `rate`: the tiny requests
// ran through the whole window, so their rate means something (otherwise the
// count of answers is shown).
Measure TinyP99(std::string id, bool rate) {
  return [id, rate](const Results& results) -> std::optional<Measured> {
    const ScenarioResult* r = Find(results, id);
    if (!r) return std::nullopt;
    const auto summary = r->fibpool.latency.Summarize();
    const auto p = summary.p99;
    return Measured{p.us / 1e3,
                    "p99 " + Duration(p) + " (p50 " + Duration(summary.p50) + ", " +
                        (rate ? Thousands(r->fibpool.rate()) + " req/s)"
                              : std::to_string(r->fibpool.answered) + " answers)"),
                    summary.count > 0 && !p.lower_bound};
  };
}

// F(10^8) end to end over its in-process compute time.
std::optional<Measured> BigOverInProcess(const Results& results) {
  const ScenarioResult* r = Find(results, "big-1e8");
  if (!r) return std::nullopt;
  const double f = r->fibpool.mean_seconds();
  const double b = r->baseline.mean_seconds();
  const double ratio = b > 0 ? f / b : 0;
  return Measured{ratio, Fixed(ratio, 2) + "x (" + Fixed(f, 3) + " s vs " + Fixed(b, 3) + " s)",
                  b > 0 && f > 0};
}

const NeighbourFigures* FibpoolNeighbour(const Results& results) {
  const ScenarioResult* r = Find(results, "noisy");
  return r && r->fibpool_neighbour.ran ? &r->fibpool_neighbour : nullptr;
}

// B's big jobs behind A's backlog over B's service time with no backlog.
std::optional<Measured> NeighbourLatency(const Results& results) {
  const NeighbourFigures* n = FibpoolNeighbour(results);
  if (!n) return std::nullopt;
  const auto b = n->b_big.latency.Summarize();
  const auto service = n->service_basis().latency.Summarize();
  const auto alone = n->service_alone.latency.Summarize();
  // Every one of B's few jobs counts (a phase holds 2 on a loaded host,
  // where a median would pick one of them); an unanswered one misses.
  const double ratio = service.p50.us > 0 ? b.mean_us / service.p50.us : 0;
  return Measured{ratio,
                  Fixed(ratio, 2) + "x (" + Duration(b.mean_us) + " vs " + Duration(service.p50) +
                      (n->service.answered > 0 ? " two at once" : " alone") + "; " +
                      std::to_string(b.count) + (b.count == 1 ? " job" : " jobs") + ", max " +
                      Duration(b.max) + "; " + Ratio(b.mean_us, alone.p50.us) +
                      " its time alone, " + Duration(alone.p50) + "; " +
                      Ratio(b.mean_us / 1e6, n->phase_service_seconds()) +
                      " the mean job time of the phase itself, " +
                      Duration(n->phase_service_seconds() * 1e6) + ")",
                  b.count > 0 && b.censored == 0 && service.count > 0};
}

// Big-job answers per second with B present over A's alone.
std::optional<Measured> NeighbourThroughput(const Results& results) {
  const NeighbourFigures* n = FibpoolNeighbour(results);
  if (!n) return std::nullopt;
  const double ratio = n->a_alone_rate > 0 ? n->shared_rate() / n->a_alone_rate : 0;
  return Measured{ratio, Fixed(ratio, 2) + "x (" + PerSecond(n->shared_rate()) + " vs " +
                             PerSecond(n->a_alone_rate) + "; beside B's big jobs A " +
                             PerSecond(n->a_with_big_rate) + " + B " + PerSecond(n->b_big_rate) +
                             ", beside B's tiny jobs A " + PerSecond(n->a_with_tiny_rate) + ")"};
}

// The articles scenario's result, when it ran against fibpool.
const ScenarioResult* ArticlesRun(const Results& results) {
  const ScenarioResult* r = Find(results, "articles");
  return r && r->fibpool_articles.ran ? r : nullptr;
}

// "8,123" req/s, "-" without a median.
std::string Perf2Median(const Perf2Phase& p) { return p.median ? Thousands(*p.median) : "-"; }

// fibpool's perf2 median while the big job ran over its median alone.
std::optional<Measured> Perf2DuringBigJob(const Results& results) {
  const ScenarioResult* r = ArticlesRun(results);
  if (!r) return std::nullopt;
  const ArticlesFigures& a = r->fibpool_articles;
  const std::optional<double> ratio = a.OverAlone(a.during_big_job);
  const std::size_t counts = a.during_big_job.counts.empty() ? 0 : a.during_big_job.counts.size() - 1;
  return Measured{ratio.value_or(0),
                  (ratio ? Fixed(*ratio, 2) + "x" : std::string("n/a")) + " (" +
                      Perf2Median(a.during_big_job) + " vs " + Perf2Median(a.alone) + " req/s; " +
                      std::to_string(counts) + (counts == 1 ? " count" : " counts") +
                      " during `" + a.big_job + "`)",
                  ratio.has_value()};
}

// fibpool's perf2 median alone over the minimal reference's.
std::optional<Measured> Perf2AloneOverMinimal(const Results& results) {
  const ScenarioResult* r = ArticlesRun(results);
  if (!r || !r->minimal_articles.ran) return std::nullopt;
  const Perf2Phase& f = r->fibpool_articles.alone;
  const Perf2Phase& m = r->minimal_articles.alone;
  const bool valid = f.median && m.median && *m.median > 0;
  const double ratio = valid ? *f.median / *m.median : 0;
  return Measured{ratio,
                  (valid ? Fixed(ratio, 2) + "x" : std::string("n/a")) + " (" + Perf2Median(f) +
                      " vs " + Perf2Median(m) + " req/s)",
                  valid};
}

struct TargetRow {
  PerformanceTarget target;
  Measure measure;
};

const std::vector<TargetRow>& TargetRows() {
  constexpr auto kLoop = &ScenarioResult::baseline;
  constexpr auto kPerCore = &ScenarioResult::per_core;
  constexpr auto kMinimal = &ScenarioResult::minimal;
  constexpr auto kAtLeast = Comparison::kAtLeast;
  constexpr auto kAtMost = Comparison::kAtMost;
  static const std::vector<TargetRow> rows = {
      {{"tiny jobs on 8 connections", kAtLeast, 0.6, Unit::kRatio, "baseline"},
       RateOver("tiny-8", kLoop)},
      {{"pipelined (8 connections x 16 deep)", kAtLeast, 0.3, Unit::kRatio, "baseline"},
       RateOver("tiny-8x16", kLoop)},
      {{"`30 recursive` on 8 connections", kAtLeast, 0.9, Unit::kRatio, "baseline"},
       RateOver("rec30-8", kLoop)},
      {{"added p50 latency on 1 connection", kAtMost, 20, Unit::kMicroseconds, "over baseline"},
       AddedP50(kLoop)},
      {{"tiny jobs on 8 connections", kAtLeast, 0.85, Unit::kRatio, "per-core baseline"},
       RateOver("tiny-8", kPerCore)},
      {{"pipelined (8 connections x 16 deep)", kAtLeast, 0.95, Unit::kRatio, "per-core baseline"},
       RateOver("tiny-8x16", kPerCore)},
      {{"`30 recursive` on 8 connections", kAtLeast, 0.97, Unit::kRatio, "per-core baseline"},
       RateOver("rec30-8", kPerCore)},
      {{"added p50 latency on 1 connection", kAtMost, 10, Unit::kMicroseconds,
        "over per-core baseline"},
       AddedP50(kPerCore)},
      {{"tiny jobs on 8 connections", kAtLeast, 0.75, Unit::kRatio, "minimal reference"},
       RateOver("tiny-8", kMinimal)},
      {{"pipelined (8 connections x 16 deep)", kAtLeast, 0.65, Unit::kRatio, "minimal reference"},
       RateOver("tiny-8x16", kMinimal)},
      {{"tiny-job p99", kAtMost, 5, Unit::kMilliseconds,
        "while every worker is busy with a big job"},
       TinyP99("busy", true)},
      {{"tiny-job p99", kAtMost, 2, Unit::kMilliseconds, "while every main worker runs a big job"},
       TinyP99("busy", true)},
      {{"F(10^8) end to end", kAtMost, 1.15, Unit::kRatio, "its in-process compute time"},
       BigOverInProcess},
      {{"noisy neighbour: B's big job behind A's backlog", kAtMost, 2.5, Unit::kRatio,
        "its own service time (B's mean, service median)"},
       NeighbourLatency},
      {{"noisy neighbour: B's tiny jobs p99", kAtMost, 5, Unit::kMilliseconds,
        "while A's backlog stands"},
       TinyP99("noisy", false)},
      {{"noisy neighbour: big-job answers/s with B present (A's + B's)", kAtLeast, 0.95,
        Unit::kRatio, "A's alone"},
       NeighbourThroughput},
      {{"the articles' perf2 while a big job runs", kAtLeast, 0.9, Unit::kRatio, "perf2 alone"},
       Perf2DuringBigJob},
      {{"the articles' perf2 alone", kAtLeast, 0.7, Unit::kRatio, "the minimal reference's"},
       Perf2AloneOverMinimal},
  };
  return rows;
}

const char* VerdictText(Verdict v) {
  switch (v) {
    case Verdict::kMet:
      return "met";
    case Verdict::kMissed:
      return "missed";
    case Verdict::kNotRun:
      break;
  }
  return "not run";
}

}  // namespace

std::string GoalText(const PerformanceTarget& target) {
  char threshold[32];
  std::snprintf(threshold, sizeof threshold, "%g", target.threshold);
  const char* unit = target.unit == Unit::kRatio          ? "x"
                     : target.unit == Unit::kMicroseconds ? " µs"
                                                          : " ms";
  return target.what + (target.comparison == Comparison::kAtLeast ? " >= " : " <= ") + threshold +
         unit + (target.reference.empty() ? "" : " " + target.reference);
}

bool Meets(const PerformanceTarget& target, double value) {
  return target.comparison == Comparison::kAtLeast ? value >= target.threshold
                                                   : value <= target.threshold;
}

const std::vector<PerformanceTarget>& PerformanceTargets() {
  static const std::vector<PerformanceTarget> targets = [] {
    std::vector<PerformanceTarget> out;
    for (const TargetRow& row : TargetRows()) out.push_back(row.target);
    return out;
  }();
  return targets;
}

std::vector<TargetCheck> CheckTargets(const std::vector<ScenarioResult>& results) {
  std::vector<TargetCheck> checks;
  for (const TargetRow& row : TargetRows()) {
    TargetCheck& c = checks.emplace_back();
    c.goal = GoalText(row.target);
    const std::optional<Measured> m = row.measure(results);
    if (!m) continue;
    c.value = m->value;
    c.measured = m->text;
    c.verdict = m->valid && Meets(row.target, m->value) ? Verdict::kMet : Verdict::kMissed;
  }
  return checks;
}

Table TargetsTable(const std::vector<TargetCheck>& checks) {
  Table table(
      {{"target", "goal"}, {"measured", "measured"}, {"", "value"}, {"verdict", "verdict"}});
  for (const TargetCheck& c : checks) {
    const std::string verdict = VerdictText(c.verdict);
    table.AddRow(
        {{c.goal},
         {c.verdict == Verdict::kNotRun ? "-" : c.measured, boost::json::string(c.measured)},
         {"", JsonNumber(c.value)},
         {c.verdict == Verdict::kMissed ? "**" + verdict + "**" : verdict,
          boost::json::string(verdict)}});
  }
  return table;
}

}  // namespace fibpool::bench
