#include "supervisor/metrics.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "supervisor/prometheus_report.h"
#include "supervisor/stats_report.h"

namespace fibpool::supervisor {
namespace {

TEST(DurationHistogram, BucketsAreCumulativeAndCountEverySample) {
  DurationHistogram h;
  h.Record(50'000);          // 50 us
  h.Record(2'000'000);       // 2 ms
  h.Record(60'000'000'000);  // 60 s: only +Inf
  EXPECT_EQ(h.count(), 3u);
  EXPECT_EQ(h.CumulativeCount(0), 1u);   // <= 100 us
  EXPECT_EQ(h.CumulativeCount(3), 2u);   // <= 5 ms
  EXPECT_EQ(h.CumulativeCount(11), 2u);  // <= 30 s
  EXPECT_NEAR(h.sum_seconds(), 60.00205, 1e-9);
}

TEST(LatencyWindow, PercentilesOfTheRecentSamples) {
  LatencyWindow w;
  for (std::uint64_t i = 1; i <= 100; ++i) w.Record(i * 1000);
  const auto p = w.Compute();
  EXPECT_EQ(p.count, 100u);
  EXPECT_NEAR(p.p50_us, 50, 1);
  EXPECT_NEAR(p.p99_us, 99, 1);
  EXPECT_EQ(p.max_us, 100);
}

PoolSnapshot TwoWorkers() {
  PoolSnapshot pool{};
  pool.workers = {{101, "busy", 3, 7}, {102, "idle", 4, 0}};
  pool.target_workers = 2;
  return pool;
}

TEST(PrometheusText, EveryMetricHasHelpTypeAndSamples) {
  Metrics m;
  m.requests = 5;
  m.results = 3;
  m.CountError(ErrorCode::kTimeout);
  m.RecordJob(ipc::Algorithm::kRecursive, 1'000'000);
  const std::string text = PrometheusText(TwoWorkers(), m);
  EXPECT_NE(text.find("# TYPE fibpool_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("fibpool_requests_total{outcome=\"ok\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("fibpool_requests_total{outcome=\"timeout\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("fibpool_requests_total{outcome=\"command\"} 1\n"), std::string::npos);
  EXPECT_NE(
      text.find("fibpool_job_duration_seconds_bucket{algorithm=\"recursive\",le=\"0.001\"} 1\n"),
      std::string::npos);
  EXPECT_NE(text.find("fibpool_workers_busy 1\n"), std::string::npos);
  EXPECT_NE(text.find("fibpool_workers_alive 2\n"), std::string::npos);
  // Every sample line belongs to a metric announced by a TYPE line.
  std::istringstream lines(text);
  std::string line, typed;
  while (std::getline(lines, line)) {
    if (line.rfind("# TYPE ", 0) == 0) typed = line.substr(7, line.find(' ', 7) - 7);
    if (line.empty() || line[0] == '#') continue;
    EXPECT_EQ(line.rfind(typed, 0), 0u) << line;
  }
}

TEST(StatsJson, IsOneLineOfJsonWithTheWorkersAndCounters) {
  Metrics m;
  m.CountError(ErrorCode::kBusy);
  const std::string json = StatsJson(TwoWorkers(), m, std::chrono::seconds(3), -1);
  EXPECT_EQ(json.find('\n'), std::string::npos);
  const auto v = boost::json::parse(json).as_object();
  EXPECT_EQ(v.at("workers").as_array().size(), 2u);
  EXPECT_EQ(v.at("workers").as_array()[0].as_object().at("current_job").to_number<std::int64_t>(),
            7);
  EXPECT_TRUE(v.at("workers").as_array()[1].as_object().at("current_job").is_null());
  EXPECT_EQ(v.at("errors").as_object().at("busy").to_number<std::uint64_t>(), 1u);
  EXPECT_TRUE(v.at("metrics_port").is_null());
  EXPECT_EQ(v.at("uptime_s").to_number<std::int64_t>(), 3);
}

TEST(PrometheusText, CountsQuarantinedInputs) {
  PoolSnapshot pool = TwoWorkers();
  pool.quarantined_inputs = 1;
  Metrics m;
  m.inputs_quarantined = 3;
  const std::string text = PrometheusText(pool, m);
  EXPECT_NE(text.find("fibpool_inputs_quarantined_total 3\n"), std::string::npos);
  EXPECT_NE(text.find("fibpool_quarantined_inputs 1\n"), std::string::npos);
}

TEST(FlowReports, StatsAndPrometheusNameTheTopFlowsWithTheirQueuedJobs) {
  PoolSnapshot pool = TwoWorkers();
  pool.top_flows = {{"192.0.2.7", 18}, {"2001:db8::1", 2}};
  const std::string text = PrometheusText(pool, Metrics{});
  EXPECT_NE(text.find("# TYPE fibpool_flow_queued_jobs gauge\n"), std::string::npos);
  EXPECT_NE(text.find("fibpool_flow_queued_jobs{flow=\"192.0.2.7\"} 18\n"), std::string::npos);
  EXPECT_NE(text.find("fibpool_flow_queued_jobs{flow=\"2001:db8::1\"} 2\n"), std::string::npos);
  const auto flows =
      boost::json::parse(StatsJson(pool, Metrics{}, std::chrono::seconds(1), -1)).at("flows");
  ASSERT_EQ(flows.as_array().size(), 2u);
  EXPECT_EQ(flows.as_array()[0].at("flow").as_string(), "192.0.2.7");
  EXPECT_EQ(flows.as_array()[0].at("queued").to_number<std::uint64_t>(), 18u);
}

}  // namespace
}  // namespace fibpool::supervisor
