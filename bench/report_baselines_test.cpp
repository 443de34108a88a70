// The report gives fibpool's figures against both baselines, the single-loop
// one and the per-core one, and against the minimal reference, from figures
// made up for the purpose.
#include <string>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "bench/report.h"

namespace fibpool::bench {
namespace {

constexpr std::int64_t kUs = 1'000;

// `answers` in a 1 s window, each in `latency_us`.
Figures Rate(const std::string& label, std::uint64_t answers, std::int64_t latency_us = 50) {
  Figures f;
  f.label = label;
  f.window_seconds = 1;
  f.sent = f.answered = f.answered_in_window = answers;
  for (int i = 0; i < 100; ++i) f.latency.Add(latency_us * kUs);
  return f;
}

// tiny-8: fibpool 80,000 req/s, the single-loop baseline 100,000, the
// per-core baseline 160,000, the minimal reference 200,000.
ScenarioResult Tiny8() {
  ScenarioResult r;
  r.id = "tiny-8";
  r.title = "tiny jobs, 8 connections, closed loop";
  r.fibpool = Rate("fibpool", 80'000);
  r.baseline = Rate("baseline", 100'000);
  r.per_core = Rate("per-core", 160'000);
  r.minimal = Rate("minimal", 200'000);
  return r;
}

// busy: a p99 scenario the per-core baseline and the minimal reference do not run.
ScenarioResult Busy() {
  ScenarioResult r;
  r.id = "busy";
  r.title = "busy";
  r.measure = ScenarioResult::Measure::kP99;
  r.has_background = true;
  r.fibpool = Rate("fibpool", 1'000, 400);
  r.baseline = Rate("baseline", 1'000, 800);
  return r;
}

boost::json::object ScenarioJson(const Report& report, const std::string& id) {
  const auto json = boost::json::parse(report.Json());
  for (const auto& s : json.at("scenarios").as_array()) {
    if (s.at("id").as_string() == id) return s.as_object();
  }
  return {};
}

TEST(ReportBaselinesTest, LoadScenarioRatiosAreGivenAgainstBothBaselinesInJson) {
  const Report report({Tiny8()}, ReportContext{});
  const boost::json::object s = ScenarioJson(report, "tiny-8");
  EXPECT_DOUBLE_EQ(s.at("ratio").to_number<double>(), 0.8);
  EXPECT_DOUBLE_EQ(s.at("ratio_per_core").to_number<double>(), 0.5);
  EXPECT_DOUBLE_EQ(s.at("per_core").at("requests_per_second").to_number<double>(), 160'000);
  EXPECT_DOUBLE_EQ(s.at("ratio_minimal").to_number<double>(), 0.4);
  EXPECT_DOUBLE_EQ(s.at("minimal").at("requests_per_second").to_number<double>(), 200'000);
}

TEST(ReportBaselinesTest, SummaryRowShowsBothBaselinesTheMinimalReferenceAndEveryRatio) {
  const Report report({Tiny8()}, ReportContext{});
  EXPECT_NE(report.Markdown().find("| 80,000 | 100,000 | 160,000 | 200,000 | 0.80x | 0.50x | 0.40x |"),
            std::string::npos)
      << report.Markdown();
}

TEST(ReportBaselinesTest, ThroughputIsJudgedAgainstEachBaselineAndTheMinimalReferenceWithItsOwnTarget) {
  const Report report({Tiny8()}, ReportContext{});
  const std::string md = report.Markdown();
  EXPECT_NE(md.find("| tiny jobs on 8 connections >= 0.6x baseline | 0.80x (80,000 vs 100,000 "
                    "req/s) | met |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| tiny jobs on 8 connections >= 0.85x per-core baseline | 0.50x (80,000 vs "
                    "160,000 req/s) | **missed** |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| tiny jobs on 8 connections >= 0.75x minimal reference | 0.40x (80,000 vs "
                    "200,000 req/s) | **missed** |"),
            std::string::npos)
      << md;
}

TEST(ReportBaselinesTest, AScenarioWithoutThePerCoreBaselineOrTheMinimalReferenceHasNoRatioToThem) {
  const Report report({Busy()}, ReportContext{});
  const boost::json::object s = ScenarioJson(report, "busy");
  EXPECT_DOUBLE_EQ(s.at("ratio").to_number<double>(), 0.5);
  EXPECT_TRUE(s.at("ratio_per_core").is_null());
  EXPECT_FALSE(s.contains("per_core"));
  EXPECT_TRUE(s.at("ratio_minimal").is_null());
  EXPECT_FALSE(s.contains("minimal"));
  EXPECT_NE(report.Markdown().find("| 400 µs | 800 µs | - | - | 0.50x | n/a | n/a |"),
            std::string::npos)
      << report.Markdown();
}

TEST(ReportBaselinesTest, WrongOrMissingAnswersOfThePerCoreBaselineAreProblems) {
  ScenarioResult r = Tiny8();
  EXPECT_TRUE(Report({r}, ReportContext{}).Problems().empty());
  r.per_core.wrong = 1;
  r.per_core.first_error = "F(10): got 56";
  const auto wrong = Report({r}, ReportContext{}).Problems();
  ASSERT_EQ(wrong.size(), 1u);
  EXPECT_NE(wrong[0].find("per-core"), std::string::npos) << wrong[0];
  r = Tiny8();
  r.per_core.unanswered = 3;
  EXPECT_EQ(Report({r}, ReportContext{}).Problems().size(), 1u);
}

TEST(ReportBaselinesTest, WrongAnswersOfTheMinimalReferenceAreProblems) {
  ScenarioResult r = Tiny8();
  r.minimal.wrong = 1;
  r.minimal.first_error = "F(10): got 56";
  const auto wrong = Report({r}, ReportContext{}).Problems();
  ASSERT_EQ(wrong.size(), 1u);
  EXPECT_NE(wrong[0].find("minimal"), std::string::npos) << wrong[0];
}

TEST(ReportBaselinesTest, TheBaselinesStallIsAProblemOnlyWhereItIsNotMeantToStall) {
  ScenarioResult r = Busy();
  r.baseline.unanswered = 3;
  EXPECT_EQ(Report({r}, ReportContext{}).Problems().size(), 1u);
  r.baseline_stalls = true;
  EXPECT_TRUE(Report({r}, ReportContext{}).Problems().empty());
}

}  // namespace
}  // namespace fibpool::bench
