// The report's account of the articles scenario (its summary row, its table,
// its JSON, its two targets and its problems), from perf2 counts made up for
// the purpose.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "bench/perf2_counts.h"
#include "bench/report.h"
#include "bench/report_targets.h"

namespace fibpool::bench {
namespace {

Perf2Phase Phase(std::vector<std::uint64_t> counts) {
  Perf2Phase p;
  p.counts = std::move(counts);
  p.median = MedianAfterFirst(p.counts);
  return p;
}

// fibpool: 8,100 req/s alone, 7,500 during the big job, 1,100 beside perf1;
// the minimal reference: 10,000 alone, nothing during the big job (its
// connection on the big job's loop), 2,000 beside perf1.
ScenarioResult Articles() {
  ScenarioResult r;
  r.id = "articles";
  r.measure = ScenarioResult::Measure::kPerf2;
  r.fibpool.label = "fibpool";
  r.minimal.label = "minimal";
  ArticlesFigures& f = r.fibpool_articles;
  f.label = "fibpool";
  f.alone = Phase({100, 8000, 8200, 7900, 8100, 8300});
  f.during_big_job = Phase({50, 7500});
  f.beside_perf1 = Phase({10, 1100, 1000, 1200});
  ArticlesFigures& m = r.minimal_articles;
  m.label = "minimal";
  m.alone = Phase({0, 10000, 10200, 9800});
  m.during_big_job = Phase({0, 0, 0});
  m.beside_perf1 = Phase({5, 2000, 2000});
  for (ArticlesFigures* a : {&f, &m}) {
    a->big_job = "46 recursive";
    a->big_answer = ArticlesFigures::BigAnswer::kRight;
    a->big_seconds = 2.7;
    a->ran = true;
  }
  return r;
}

const TargetCheck& CheckOf(const std::vector<TargetCheck>& checks, const std::string& start) {
  for (const TargetCheck& c : checks) {
    if (c.goal.starts_with(start)) return c;
  }
  throw std::invalid_argument("no target " + start);
}

TEST(ReportArticles, TheSummaryRowGivesPerf2AloneAndFibpoolOverTheMinimalReference) {
  const std::string md = Report({Articles()}, ReportContext{}).Markdown();
  EXPECT_NE(md.find("| perf2 req/s alone (median) | 8,100 | - | - | 10,000 | n/a | n/a | 0.81x |"),
            std::string::npos)
      << md;
}

TEST(ReportArticles, TheTableGivesEachPhasesMedianItsCountsAndTheRatiosToPerf2Alone) {
  const std::string md = Report({Articles()}, ReportContext{}).Markdown();
  EXPECT_NE(md.find("| fibpool | 8,100/s (5 counts, 7,900–8,300) | 7,500/s (1 count) | 1,100/s "
                    "(3 counts, 1,000–1,200) | 0.93x | 0.14x | right, 2.70 s |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| minimal | 10,000/s (3 counts, 9,800–10,200) | 0/s (2 counts) | 2,000/s (2 "
                    "counts) | 0.00x | 0.20x | right, 2.70 s |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("while one `46 recursive` runs"), std::string::npos) << md;
}

TEST(ReportArticles, JsonGivesEachTargetsCountsMediansRatiosAndTheBigJob) {
  const auto json = boost::json::parse(Report({Articles()}, ReportContext{}).Json());
  const auto& scenario = json.at("scenarios").as_array().at(0);
  EXPECT_DOUBLE_EQ(scenario.at("ratio_minimal").as_double(), 0.81);
  const auto& f = scenario.at("articles").at("fibpool");
  EXPECT_EQ(f.at("perf2_alone").at("counts").as_array().size(), 6u);
  EXPECT_DOUBLE_EQ(f.at("perf2_alone").at("median").as_double(), 8100);
  EXPECT_DOUBLE_EQ(f.at("perf2_during_big_job").at("median").as_double(), 7500);
  EXPECT_DOUBLE_EQ(f.at("perf2_beside_perf1").at("median").as_double(), 1100);
  EXPECT_DOUBLE_EQ(f.at("during_big_job_over_alone").as_double(), 0.926);
  EXPECT_DOUBLE_EQ(f.at("beside_perf1_over_alone").as_double(), 0.136);
  EXPECT_EQ(f.at("big_job").at("request").as_string(), "46 recursive");
  EXPECT_EQ(f.at("big_job").at("answer").as_string(), "right");
  EXPECT_DOUBLE_EQ(scenario.at("articles").at("minimal").at("perf2_alone").at("median").as_double(),
                   10000);
  EXPECT_TRUE(json.at("problems").as_array().empty());
}

TEST(ReportArticles, BothTargetsAreJudgedFromFibpoolsMedians) {
  const auto checks = CheckTargets({Articles()});
  const TargetCheck& during = CheckOf(checks, "the articles' perf2 while a big job runs");
  EXPECT_EQ(during.goal, "the articles' perf2 while a big job runs >= 0.9x perf2 alone");
  EXPECT_EQ(during.verdict, Verdict::kMet);
  EXPECT_EQ(during.measured, "0.93x (7,500 vs 8,100 req/s; 1 count during `46 recursive`)");
  const TargetCheck& alone = CheckOf(checks, "the articles' perf2 alone");
  EXPECT_EQ(alone.goal, "the articles' perf2 alone >= 0.7x the minimal reference's");
  EXPECT_EQ(alone.verdict, Verdict::kMet);
  EXPECT_EQ(alone.measured, "0.81x (8,100 vs 10,000 req/s)");

  ScenarioResult slow = Articles();
  slow.fibpool_articles.during_big_job = Phase({50, 7000});
  slow.fibpool_articles.alone = Phase({100, 6900});
  const auto missed = CheckTargets({slow});
  EXPECT_EQ(CheckOf(missed, "the articles' perf2 while a big job runs").verdict, Verdict::kMet);
  EXPECT_EQ(CheckOf(missed, "the articles' perf2 alone").verdict, Verdict::kMissed);
}

TEST(ReportArticles, NoCountDuringTheBigJobMissesItsTarget) {
  ScenarioResult r = Articles();
  r.fibpool_articles.during_big_job = Phase({50});
  const auto checks = CheckTargets({r});
  const TargetCheck& during = CheckOf(checks, "the articles' perf2 while a big job runs");
  EXPECT_EQ(during.verdict, Verdict::kMissed);
  EXPECT_EQ(during.measured, "n/a (- vs 8,100 req/s; 0 counts during `46 recursive`)");
  const std::string md = Report({r}, ReportContext{}).Markdown();
  EXPECT_NE(md.find("| fibpool | 8,100/s (5 counts, 7,900–8,300) | - (no count after the first) "
                    "|"),
            std::string::npos)
      << md;
}

TEST(ReportArticles, AWrongOrMissingBigAnswerAndAFailedPhaseAreProblems) {
  ScenarioResult r = Articles();
  r.fibpool_articles.big_answer = ArticlesFigures::BigAnswer::kWrong;
  r.fibpool_articles.big_error = "got '1'";
  r.fibpool_articles.beside_perf1.error = "perf1 exited before the phase ended";
  // The minimal reference computes inline: its big job may outlast the wait.
  r.minimal_articles.big_answer = ArticlesFigures::BigAnswer::kNotAwaited;
  const auto problems = Report({r}, ReportContext{}).Problems();
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0], "articles fibpool perf2 beside perf1: perf1 exited before the phase ended");
  EXPECT_EQ(problems[1], "articles fibpool `46 recursive`: wrong; got '1'");
  r.fibpool_articles.big_answer = ArticlesFigures::BigAnswer::kNotAwaited;
  EXPECT_EQ(Report({r}, ReportContext{}).Problems().size(), 2u);
}

TEST(ReportArticles, NotRunWithoutPythonIsNoProblemAndNoTarget) {
  ScenarioResult r;
  r.id = "articles";
  r.measure = ScenarioResult::Measure::kPerf2;
  r.notes.push_back("not run: the articles' clients are Python and --python is ''");
  const Report report({r}, ReportContext{});
  EXPECT_TRUE(report.Problems().empty());
  const std::string md = report.Markdown();
  EXPECT_EQ(md.find("### The articles' perf1/perf2"), std::string::npos) << md;
  EXPECT_NE(md.find("| perf2 req/s alone (median) | - | - | - | - | n/a | n/a | n/a |"),
            std::string::npos)
      << md;
  for (const TargetCheck& c : CheckTargets({r})) EXPECT_EQ(c.verdict, Verdict::kNotRun) << c.goal;
}

}  // namespace
}  // namespace fibpool::bench
