// The articles scenario's table (report_sections.h): perf2's medians per
// target and phase, their ratios to perf2 alone, and the big job's answer.
#include <algorithm>

#include "bench/figure_text.h"
#include "bench/figures_json.h"
#include "bench/report_sections.h"
#include "bench/report_table.h"

namespace fibpool::bench {

namespace {

// "8,123/s (4 counts, 7,900–8,300)", what failed after it; without a median,
// why.
std::string Perf2Cell(const Perf2Phase& p) {
  std::string text;
  if (p.median) {
    const auto [lo, hi] = std::minmax_element(p.counts.begin() + 1, p.counts.end());
    const std::size_t n = p.counts.size() - 1;
    text = Thousands(*p.median) + "/s (" + std::to_string(n) + (n == 1 ? " count" : " counts");
    if (*lo != *hi) text += ", " + Thousands(static_cast<double>(*lo)) + "–" +
                            Thousands(static_cast<double>(*hi));
    text += ")";
  } else {
    text = "- (no count after the first)";
  }
  return p.error.empty() ? text : text + "; " + p.error;
}

std::string OverAloneCell(const ArticlesFigures& a, const Perf2Phase& p) {
  const std::optional<double> ratio = a.OverAlone(p);
  return ratio ? Ratio(*ratio, 1) : "n/a";
}

std::string BigJobCell(const ArticlesFigures& a) {
  std::string text = BigAnswerName(a.big_answer);
  if (a.big_answer == ArticlesFigures::BigAnswer::kWrong) text = "**" + text + "**";
  if (a.big_answer == ArticlesFigures::BigAnswer::kRight) {
    text += ", " + Fixed(a.big_seconds, 2) + " s";
  }
  return a.big_error.empty() ? text : text + ": " + a.big_error;
}

}  // namespace

std::string ArticlesMarkdown(const ScenarioResult& r) {
  Table table({{"target"},
               {"perf2 alone", "", true},
               {"perf2 during the big job", "", true},
               {"perf2 beside perf1", "", true},
               {"during / alone", "", true},
               {"beside perf1 / alone", "", true},
               {"the big job"}});
  std::string big_job;
  for (const ArticlesFigures* a : {&r.fibpool_articles, &r.minimal_articles}) {
    if (!a->ran) continue;
    big_job = a->big_job;
    table.AddRow({a->label, Perf2Cell(a->alone), Perf2Cell(a->during_big_job), Perf2Cell(a->beside_perf1),
                  OverAloneCell(*a, a->during_big_job), OverAloneCell(*a, a->beside_perf1),
                  BigJobCell(*a)});
  }
  if (table.empty()) return "";
  return "\n### The articles' perf1/perf2\n\n"
         "bench/articles/perf2.py as published (one connection, `1` without a newline, one "
         "`recv(100)` per answer) prints how many answers it got each second; each figure is "
         "the median of those counts, the first left out (the connection's start and, against "
         "fibpool, the 20 ms pause before a newline-less client's first answer). perf2 alone; "
         "while one `" +
         big_job +
         "` runs, sent on its own connection after perf2's first count, until its answer arrived; beside "
         "bench/articles/perf1.py (`30` in a loop on one connection). The minimal reference "
         "computes inline: a connection on the big job's loop waits for it.\n\n" +
         table.Markdown();
}

}  // namespace fibpool::bench
