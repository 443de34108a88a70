#include "bench/report_sections.h"

#include "bench/figure_text.h"
#include "bench/figures_json.h"
#include "bench/report_table.h"

namespace fibpool::bench {

namespace {

// One target's row of the noisy-neighbour table.
std::vector<Cell> NeighbourCells(const std::string& who, const Figures& tiny,
                                 const NeighbourFigures& n) {
  const auto b = n.b_big.latency.Summarize();
  const auto p50 = [](const Figures& f) {
    const auto s = f.latency.Summarize();
    return s.count == 0 ? std::string("-") : Duration(s.p50);
  };
  const auto t = tiny.latency.Summarize();
  // A server that answered none of A's jobs in a phase measured no rate.
  const auto rates = [&n](double a, double b_rate) {
    return n.a_alone_rate > 0 ? PerSecond(a) + " + " + PerSecond(b_rate) : std::string("-");
  };
  const bool answered = b.count > b.censored;
  return {who,
          b.count
              ? (answered ? Duration(b.mean_us) : std::string("-")) + " (" + Duration(b.max) + ")"
              : "-",
          p50(n.service) + " / " + p50(n.service_alone),
          t.count ? Duration(t.p50) + " / " + Duration(t.p99) : "-",
          n.a_alone_rate > 0 ? PerSecond(n.a_alone_rate) : "-",
          rates(n.a_with_big_rate, n.b_big_rate),
          rates(n.a_with_tiny_rate, n.b_tiny_phase_rate),
          Ratio(n.shared_rate(), n.a_alone_rate)};
}

}  // namespace

std::vector<std::pair<std::string, const Figures*>> NeighbourRows(const NeighbourFigures& n) {
  return {{"B big", &n.b_big},
          {"service, two at once", &n.service},
          {"service, alone", &n.service_alone}};
}

std::string NoisyMarkdown(const ScenarioResult& r) {
  Table table({{"target"},
               {"B's big job behind A", "", true},
               {"service time (two at once / alone)", "", true},
               {"B's tiny jobs (p50 / p99)", "", true},
               {"A alone", "", true},
               {"B asks big jobs: A + B", "", true},
               {"B asks tiny jobs: A + B", "", true},
               {"with B / A alone", "", true}});
  if (r.fibpool_neighbour.ran)
    table.AddRow(NeighbourCells("fibpool", r.fibpool, r.fibpool_neighbour));
  if (r.baseline_neighbour.ran) {
    table.AddRow(NeighbourCells("baseline", r.baseline, r.baseline_neighbour));
  }
  return "\n### Noisy neighbour\n\n" + r.title +
         ". B's big job: latency behind A's backlog, mean (max); its service time with no "
         "backlog, median, two at once (as behind A, where one of A's jobs runs beside it) and "
         "alone; big-job answers per second in each phase (interpolated between answers), and "
         "the ratio of both B phases (A's and B's answers) to A alone.\n\n" +
         table.Markdown();
}

boost::json::object NeighbourJson(const NeighbourFigures& n) {
  return {{"b_big", FiguresJson(n.b_big)},
          {"service", FiguresJson(n.service)},
          {"service_alone", FiguresJson(n.service_alone)},
          {"answers_per_second",
           {{"a_alone", JsonNumber(n.a_alone_rate)},
            {"a_with_b_big", JsonNumber(n.a_with_big_rate)},
            {"b_big", JsonNumber(n.b_big_rate)},
            {"a_with_b_tiny", JsonNumber(n.a_with_tiny_rate)},
            {"b_big_in_tiny_phase", JsonNumber(n.b_tiny_phase_rate)},
            {"with_b", JsonNumber(n.shared_rate())}}},
          {"workers", n.workers},
          {"phase_service_seconds", JsonNumber(n.phase_service_seconds())}};
}

}  // namespace fibpool::bench
