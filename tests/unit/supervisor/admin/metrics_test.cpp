#include "supervisor/metrics/metrics.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <limits>
#include <optional>
#include <string>

#include "supervisor/admin/http_routes.h"
#include "supervisor/admin/prometheus_report.h"
#include "supervisor/admin/stats_report.h"
#include "supervisor/admin/status_page.h"

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
  pool.workers[0].job_algorithm = ipc::Algorithm::kRecursive;
  pool.workers[0].job_n = 45;
  pool.workers[0].job_started_ns = 1'000'000'000;
  pool.workers[0].cpu_seconds = 2.5;
  pool.reserve_workers = {{103, "starting", 0, 0}};
  pool.target_workers = 2;
  pool.target_reserve_workers = 1;
  pool.taken_ns = 3'500'000'000;
  return pool;
}

ProcessInfo SomeProcess() {
  ProcessInfo p;
  p.start_time_s = 1'700'000'000.25;
  p.uptime = std::chrono::milliseconds(3'250);
  return p;
}

// The value of the sample line that starts with `name_and_labels` + ' '.
std::optional<std::string> SampleValue(const std::string& text,
                                       const std::string& name_and_labels) {
  const std::string prefix = "\n" + name_and_labels + " ";
  const auto at = text.find(prefix);
  if (at == std::string::npos) return std::nullopt;
  const auto from = at + prefix.size();
  return text.substr(from, text.find('\n', from) - from);
}

TEST(PrometheusText, EveryMetricHasHelpTypeAndSamples) {
  Metrics m;
  m.requests += 5;
  m.results += 3;
  m.CountError(AnswerError::kTimeout);
  m.RecordJob(ipc::Algorithm::kRecursive, JobSize::kCheap, 1'000'000);
  m.RecordJob(ipc::Algorithm::kFast, JobSize::kBig, 30'000'000);
  const std::string text = PrometheusText(TwoWorkers(), m, SomeProcess());
  EXPECT_NE(text.find("# TYPE fibpool_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("fibpool_requests_total{outcome=\"ok\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("fibpool_requests_total{outcome=\"timeout\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("fibpool_requests_total{outcome=\"command\"} 1\n"), std::string::npos);
  EXPECT_NE(
      text.find("fibpool_job_duration_seconds_bucket{algorithm=\"recursive\",size=\"cheap\","
                "le=\"0.001\"} 1\n"),
      std::string::npos);
  EXPECT_NE(text.find("fibpool_job_duration_seconds_count{algorithm=\"fast\",size=\"big\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("fibpool_job_duration_seconds_count{algorithm=\"fast\",size=\"cheap\"} 0\n"),
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
  m.CountError(AnswerError::kBusy);
  Config config;
  config.workers = 2;
  const std::string json = StatsJson(TwoWorkers(), m, config, SomeProcess());
  EXPECT_EQ(json.find('\n'), std::string::npos);
  const auto v = boost::json::parse(json).as_object();
  EXPECT_EQ(v.at("workers").as_array().size(), 2u);
  EXPECT_EQ(v.at("workers").as_array()[0].as_object().at("current_job").to_number<std::int64_t>(),
            7);
  EXPECT_TRUE(v.at("workers").as_array()[1].as_object().at("current_job").is_null());
  EXPECT_EQ(v.at("errors").as_object().at("busy").to_number<std::uint64_t>(), 1u);
  EXPECT_EQ(v.at("metrics_port").to_number<int>(), -1);  // as in settings: -1 is off
  EXPECT_EQ(v.at("agent_port").to_number<int>(), -1);
  const auto& settings = v.at("settings").as_object();
  EXPECT_EQ(settings.at("metrics_port").to_number<int>(), -1);
  EXPECT_EQ(settings.at("io_threads").to_number<int>(), 0);
  EXPECT_TRUE(settings.at("worker_path").as_string().ends_with("/fibpool-worker"));
  EXPECT_EQ(v.at("uptime_s").to_number<std::int64_t>(), 3);
  EXPECT_EQ(v.at("uptime_ms").to_number<std::int64_t>(), 3'250);
  EXPECT_EQ(v.at("version").as_string(), FIBPOOL_VERSION);
}

TEST(StatsJson, ShowsTheJobEachWorkerRunsForHowLongAndTheCpuItUsed) {
  const auto v =
      boost::json::parse(StatsJson(TwoWorkers(), Metrics{}, Config{}, SomeProcess())).as_object();
  const auto& busy = v.at("workers").as_array()[0].as_object();
  const auto& job = busy.at("job").as_object();
  EXPECT_EQ(job.at("n").to_number<std::uint64_t>(), 45u);
  EXPECT_EQ(job.at("algorithm").as_string(), "recursive");
  EXPECT_EQ(job.at("running_ms").to_number<std::int64_t>(), 2'500);
  EXPECT_EQ(busy.at("cpu_ms").to_number<std::int64_t>(), 2'500);
  EXPECT_TRUE(v.at("workers").as_array()[1].as_object().at("job").is_null());
  const auto& reserve = v.at("reserve_workers").as_array();
  ASSERT_EQ(reserve.size(), 1u);
  EXPECT_EQ(reserve[0].as_object().at("state").as_string(), "starting");
  EXPECT_EQ(v.at("reserve_workers_target").to_number<int>(), 1);
}

TEST(StatsJson, CarriesTheSettingsInForce) {
  Config config;
  config.workers = 3;
  config.job_timeout = std::chrono::milliseconds(1'500);
  config.config_file = "/etc/fibpool.conf";
  const auto v =
      boost::json::parse(StatsJson(TwoWorkers(), Metrics{}, config, SomeProcess())).as_object();
  const auto& settings = v.at("settings").as_object();
  EXPECT_EQ(settings.at("workers").to_number<int>(), 3);
  EXPECT_EQ(settings.at("job_timeout_ms").to_number<int>(), 1'500);
  EXPECT_EQ(settings.at("config_file").as_string(), "/etc/fibpool.conf");
  EXPECT_EQ(settings.at("algorithm").as_string(), "fast");
  EXPECT_EQ(settings.at("max_n").to_number<std::uint64_t>(), Config{}.max_n);
}

TEST(PrometheusNumber, IsTheShortestTextThatReadsBackAsTheSameDouble) {
  EXPECT_EQ(PrometheusNumber(0.0024663900000000002), "0.00246639");
  EXPECT_EQ(PrometheusNumber(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(PrometheusNumber(3), "3");
  EXPECT_EQ(PrometheusNumber(0.0001), "0.0001");
  EXPECT_EQ(PrometheusNumber(1'700'000'000.25), "1700000000.25");
  EXPECT_EQ(PrometheusNumber(12'345'678), "12345678");
  EXPECT_EQ(PrometheusNumber(1e-30), "1e-30");
  EXPECT_EQ(PrometheusNumber(1e300), "1e+300");
  EXPECT_EQ(PrometheusNumber(-2.5), "-2.5");
  EXPECT_EQ(PrometheusNumber(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(PrometheusNumber(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(PrometheusNumber(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(PrometheusText, SumsOfManySmallDurationsPrintShort) {
  Metrics m;
  for (int i = 0; i < 3; ++i) m.RecordJob(ipc::Algorithm::kFast, JobSize::kCheap, 822'130);
  const std::string text = PrometheusText(TwoWorkers(), m, SomeProcess());
  const auto sum = SampleValue(text, "fibpool_job_duration_seconds_sum{algorithm=\"fast\",size=\"cheap\"}");
  ASSERT_TRUE(sum);
  EXPECT_EQ(*sum, PrometheusNumber(m.job_duration[0][0].sum_seconds()));
  EXPECT_LE(sum->size(), 20u) << *sum;
  EXPECT_EQ(
      SampleValue(text,
                  "fibpool_job_duration_seconds_bucket{algorithm=\"fast\",size=\"cheap\",le=\"0.0001\"}"),
      "0");
}

TEST(PrometheusText, ExportsTheReserveLaneTheVersionAndTheUptime) {
  const std::string text = PrometheusText(TwoWorkers(), Metrics{}, SomeProcess());
  EXPECT_EQ(SampleValue(text, "fibpool_reserve_workers_alive"), "1");
  EXPECT_EQ(SampleValue(text, "fibpool_reserve_workers_busy"), "0");
  EXPECT_EQ(SampleValue(text, "fibpool_reserve_workers_target"), "1");
  EXPECT_EQ(SampleValue(text, "fibpool_build_info{version=\"" FIBPOOL_VERSION "\"}"), "1");
  EXPECT_EQ(SampleValue(text, "fibpool_process_start_time_seconds"), "1700000000.25");
  EXPECT_EQ(SampleValue(text, "fibpool_uptime_seconds"), "3.25");
}

TEST(PrometheusText, ExportsTheStandardProcessMetrics) {
  ProcessInfo process = SomeProcess();
  process.usage = ProcessUsage{12.5, 17, 1024, 8'388'608, 104'857'600};
  const std::string text = PrometheusText(TwoWorkers(), Metrics{}, process);
  EXPECT_NE(text.find("# TYPE process_cpu_seconds_total counter\n"), std::string::npos);
  EXPECT_EQ(SampleValue(text, "process_cpu_seconds_total"), "12.5");
  EXPECT_NE(text.find("# TYPE process_open_fds gauge\n"), std::string::npos);
  EXPECT_EQ(SampleValue(text, "process_open_fds"), "17");
  EXPECT_EQ(SampleValue(text, "process_max_fds"), "1024");
  EXPECT_EQ(SampleValue(text, "process_resident_memory_bytes"), "8388608");
  EXPECT_EQ(SampleValue(text, "process_virtual_memory_bytes"), "104857600");
  EXPECT_EQ(SampleValue(text, "process_start_time_seconds"), "1700000000.25");
}

TEST(ReadProcessUsage, ReadsThisProcessFromProc) {
  const ProcessUsage u = ReadProcessUsage();
  EXPECT_GE(u.open_fds, 3);  // stdin, stdout, stderr at least
  EXPECT_GE(u.max_fds, u.open_fds);
  EXPECT_GT(u.resident_bytes, 0);
  EXPECT_GE(u.virtual_bytes, u.resident_bytes);
  EXPECT_GE(u.cpu_seconds, 0);
}

HttpEndpoints FixedEndpoints(bool healthy = true) {
  return {[] { return std::string("metrics text\n"); }, [] { return std::string("{\"a\":1}"); },
          [healthy] { return healthy; }, [] { return std::string("{\"samples\":{}}"); }};
}

TEST(Route, ServesTheStatusPageTheStatsTheMetricsAndHealth) {
  const HttpEndpoints endpoints = FixedEndpoints();
  const HttpAnswer page = Route("GET", "/", endpoints);
  EXPECT_EQ(page.status, 200u);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(page.body, StatusPageHtml());
  const HttpAnswer stats = Route("GET", "/stats.json", endpoints);
  EXPECT_EQ(stats.content_type, "application/json");
  EXPECT_EQ(stats.body, "{\"a\":1}\n");
  EXPECT_EQ(Route("HEAD", "/metrics", endpoints).body, "metrics text\n");
  const HttpAnswer history = Route("GET", "/status/history", endpoints);
  EXPECT_EQ(history.content_type, "application/json");
  EXPECT_EQ(history.body, "{\"samples\":{}}\n");
  EXPECT_EQ(Route("GET", "/healthz", FixedEndpoints(false)).status, 503u);
  EXPECT_EQ(Route("GET", "/nope", endpoints).status, 404u);
}

TEST(Route, IgnoresTheQueryString) {
  const HttpEndpoints endpoints = FixedEndpoints();
  EXPECT_EQ(Route("GET", "/metrics?x=y", endpoints).body, "metrics text\n");
  EXPECT_EQ(Route("GET", "/?refresh=1", endpoints).status, 200u);
  EXPECT_EQ(Route("GET", "/healthz?", endpoints).body, "ok\n");
}

TEST(Route, OtherMethodsGet405WithAnAllowHeader) {
  const HttpAnswer answer = Route("POST", "/metrics", FixedEndpoints());
  EXPECT_EQ(answer.status, 405u);
  EXPECT_EQ(answer.allow, "GET, HEAD");
  EXPECT_TRUE(Route("GET", "/metrics", FixedEndpoints()).allow.empty());
  EXPECT_EQ(MalformedRequest().status, 400u);
}

TEST(StatusPage, IsSelfContainedHtmlThatPollsStatsJson) {
  const std::string_view page = StatusPageHtml();
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(page.find("</html>"), std::string_view::npos);
  EXPECT_NE(page.find("fetch(\"stats.json\""), std::string_view::npos);
  // Nothing loaded from elsewhere: no URL with a scheme, no external script or style sheet.
  EXPECT_EQ(page.find("http://"), std::string_view::npos);
  EXPECT_EQ(page.find("https://"), std::string_view::npos);
  EXPECT_EQ(page.find("<script src"), std::string_view::npos);
  EXPECT_EQ(page.find("<link"), std::string_view::npos);
  EXPECT_EQ(page.find("@import"), std::string_view::npos);
}

TEST(PrometheusText, CountsQuarantinedInputs) {
  PoolSnapshot pool = TwoWorkers();
  pool.quarantined_inputs = 1;
  Metrics m;
  m.inputs_quarantined = 3;
  const std::string text = PrometheusText(pool, m, SomeProcess());
  EXPECT_NE(text.find("fibpool_inputs_quarantined_total 3\n"), std::string::npos);
  EXPECT_NE(text.find("fibpool_quarantined_inputs 1\n"), std::string::npos);
}

TEST(FlowReports, StatsAndPrometheusNameTheTopFlowsWithTheirQueuedJobs) {
  PoolSnapshot pool = TwoWorkers();
  pool.top_flows = {{"192.0.2.7", 18}, {"2001:db8::1", 2}};
  const std::string text = PrometheusText(pool, Metrics{}, SomeProcess());
  EXPECT_NE(text.find("# TYPE fibpool_flow_queued_jobs gauge\n"), std::string::npos);
  EXPECT_NE(text.find("fibpool_flow_queued_jobs{flow=\"192.0.2.7\"} 18\n"), std::string::npos);
  EXPECT_NE(text.find("fibpool_flow_queued_jobs{flow=\"2001:db8::1\"} 2\n"), std::string::npos);
  const auto flows =
      boost::json::parse(StatsJson(pool, Metrics{}, Config{}, SomeProcess())).at("flows");
  ASSERT_EQ(flows.as_array().size(), 2u);
  EXPECT_EQ(flows.as_array()[0].at("flow").as_string(), "192.0.2.7");
  EXPECT_EQ(boost::json::value_to<std::uint64_t>(flows.as_array()[0].at("queued")), 18u);
}

}  // namespace
}  // namespace fibpool::supervisor

namespace fibpool::supervisor {
namespace {

TEST(JobCostReports, PrometheusHasCpuAndPeakRssHistogramsByAlgorithmAndDecadeOfN) {
  Metrics m;
  m.job_cost.Record(ipc::Algorithm::kFast, 10'000'000, 260'000'000, 100u << 20);
  m.job_cost.Record(ipc::Algorithm::kRecursive, 30, 1'200'000, 4u << 20);
  const std::string text = PrometheusText(TwoWorkers(), m, SomeProcess());
  EXPECT_NE(text.find("# TYPE fibpool_job_cpu_seconds histogram\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE fibpool_job_peak_rss_bytes histogram\n"), std::string::npos);
  const std::string fast = "{algorithm=\"fast\",n_decade=\"1e7\"";
  EXPECT_EQ(SampleValue(text, "fibpool_job_cpu_seconds_count" + fast + "}"), "1");
  EXPECT_EQ(SampleValue(text, "fibpool_job_cpu_seconds_sum" + fast + "}"), "0.26");
  EXPECT_EQ(SampleValue(text, "fibpool_job_cpu_seconds_bucket" + fast + ",le=\"0.1\"}"), "0");
  EXPECT_EQ(SampleValue(text, "fibpool_job_cpu_seconds_bucket" + fast + ",le=\"0.5\"}"), "1");
  EXPECT_EQ(SampleValue(text, "fibpool_job_cpu_seconds_bucket" + fast + ",le=\"+Inf\"}"), "1");
  EXPECT_EQ(SampleValue(text, "fibpool_job_peak_rss_bytes_bucket" + fast + ",le=\"67108864\"}"),
            "0");
  EXPECT_EQ(SampleValue(text, "fibpool_job_peak_rss_bytes_bucket" + fast + ",le=\"134217728\"}"),
            "1");
  EXPECT_EQ(SampleValue(text, "fibpool_job_peak_rss_bytes_sum" + fast + "}"), "104857600");
  EXPECT_EQ(
      SampleValue(text, "fibpool_job_cpu_seconds_count{algorithm=\"recursive\",n_decade=\"1e1\"}"),
      "1");
  // Decades nobody asked for have no series.
  EXPECT_EQ(text.find("n_decade=\"1e6\""), std::string::npos);
}

TEST(JobCostReports, StatsShowEachWorkersJobCpuAndPeakRss) {
  PoolSnapshot pool = TwoWorkers();
  pool.workers[0].job_cpu_seconds = 1.2345;
  pool.workers[0].peak_rss_bytes = 123'456'789;
  const auto v = boost::json::parse(StatsJson(pool, Metrics{}, Config{}, SomeProcess()));
  const auto& busy = v.at("workers").as_array()[0].as_object();
  EXPECT_EQ(busy.at("job_cpu_ms").to_number<std::int64_t>(), 1'235);
  EXPECT_EQ(busy.at("peak_rss_bytes").to_number<std::uint64_t>(), 123'456'789u);
  const auto& idle = v.at("workers").as_array()[1].as_object();
  EXPECT_EQ(idle.at("job_cpu_ms").to_number<std::int64_t>(), 0);
  EXPECT_EQ(idle.at("peak_rss_bytes").to_number<std::uint64_t>(), 0u);
}

TEST(JobCostReports, StatsShowTheCostModelsErrorAndFactorPerAlgorithm) {
  Metrics m;
  for (int i = 1; i <= 100; ++i) m.estimate_error[0].Record(0.5 + i / 100.0);  // 0.51 .. 1.5
  PoolSnapshot pool = TwoWorkers();
  pool.cost_factors = {0.8, 2.5};
  const auto v = boost::json::parse(StatsJson(pool, m, Config{}, SomeProcess()));
  const auto& fast = v.at("estimate_error").at("fast").as_object();
  EXPECT_EQ(fast.at("jobs").to_number<std::uint64_t>(), 100u);
  EXPECT_NEAR(fast.at("p50").to_number<double>(), 1.0, 0.011);
  EXPECT_NEAR(fast.at("p99").to_number<double>(), 1.49, 0.011);
  EXPECT_DOUBLE_EQ(fast.at("factor").to_number<double>(), 0.8);
  const auto& recursive = v.at("estimate_error").at("recursive").as_object();
  EXPECT_EQ(recursive.at("jobs").to_number<std::uint64_t>(), 0u);
  EXPECT_DOUBLE_EQ(recursive.at("factor").to_number<double>(), 2.5);
}

}  // namespace
}  // namespace fibpool::supervisor
