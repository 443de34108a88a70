#include "supervisor/admin/stats_report.h"

#include <boost/json.hpp>

#include "supervisor/pool/pool_options.h"

namespace fibpool::supervisor {

namespace json = boost::json;

namespace {

// The flows with the most waiting jobs: [{"flow": "192.0.2.7", "queued": 18}, ...].
json::array FlowsJson(const std::vector<FlowDepth>& flows) {
  json::array out;
  for (const FlowDepth& f : flows)
    out.push_back(json::object{{"flow", f.flow}, {"queued", f.queued}});
  return out;
}

std::int64_t Millis(std::chrono::nanoseconds d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

json::array WorkersJson(const std::vector<WorkerView>& views, std::uint64_t now_ns) {
  json::array workers;
  for (const WorkerView& w : views) {
    json::object o;
    o["pid"] = w.pid;
    o["state"] = w.state;
    o["jobs_done"] = w.jobs_done;
    o["current_job"] = w.current_job == 0 ? json::value(nullptr) : json::value(w.current_job);
    if (w.job_algorithm) {
      const std::uint64_t started = std::min(w.job_started_ns, now_ns);
      o["job"] = json::object{{"n", w.job_n},
                              {"algorithm", ipc::AlgorithmName(*w.job_algorithm)},
                              {"running_ms", Millis(std::chrono::nanoseconds(now_ns - started))}};
    } else {
      o["job"] = nullptr;
    }
    o["cpu_ms"] = static_cast<std::int64_t>(w.cpu_seconds * 1000 + 0.5);
    o["job_cpu_ms"] = static_cast<std::int64_t>(w.job_cpu_seconds * 1000 + 0.5);
    o["peak_rss_bytes"] = w.peak_rss_bytes;
    workers.push_back(std::move(o));
  }
  return workers;
}

// Per algorithm: how many jobs judged the cost model, their measured /
// estimated CPU time (p50, p99), and the correction factor learned.
json::object EstimateErrorJson(const PoolSnapshot& pool, const Metrics& metrics) {
  json::object out;
  for (const ipc::Algorithm a : {ipc::Algorithm::kFast, ipc::Algorithm::kRecursive}) {
    const std::size_t i = ipc::AlgorithmIndex(a);
    const std::vector<double> sorted = metrics.estimate_error[i].Sorted();
    out[ipc::AlgorithmName(a)] = json::object{
        {"jobs", metrics.estimate_error[i].count()},
        {"p50", SampleWindow::Quantile(sorted, 0.50)},
        {"p99", SampleWindow::Quantile(sorted, 0.99)},
        {"factor", pool.cost_factors[i]},
    };
  }
  return out;
}

json::object SettingsJson(const Config& c) {
  return json::object{
      {"config_file", c.config_file.empty() ? json::value(nullptr) : json::value(c.config_file)},
      {"host", c.host},
      {"port", c.port},
      {"workers", c.workers},
      {"reserve_workers", c.reserve_workers},
      {"io_threads", c.io_threads},
      {"worker_nice", c.worker_nice},
      {"algorithm", ipc::AlgorithmName(c.algorithm)},
      {"max_n", c.max_n},
      {"job_timeout_ms", c.job_timeout.count()},
      {"log_level", c.log_level},
      {"max_line", c.max_line},
      {"max_backlog", c.max_backlog},
      {"max_wait_ms", c.max_wait.count()},
      {"quarantine_period_ms", c.quarantine_period.count()},
      {"max_inflight_per_connection", c.max_inflight_per_connection},
      {"max_output_per_connection", c.max_output_per_connection},
      {"max_connections", c.max_connections},
      {"max_connections_per_client", c.max_connections_per_client},
      {"idle_timeout_ms", c.idle_timeout.count()},
      {"proxy_protocol", c.proxy_protocol},
      {"metrics_port", c.metrics_port},
      {"agent_port", c.agent_port},
      {"metrics_host", MetricsHost(c)},
      {"line_stats", c.line_stats},
      {"access_log", c.access_log},
      {"supervisor_spin_us", c.supervisor_spin.count()},
      {"worker_spin_us", c.worker_spin.count()},
      {"max_jobs_per_worker", c.max_jobs_per_worker},
      {"max_worker_memory_mb", c.max_worker_memory_mb},
      {"worker_path", PoolOptionsFrom(c).worker_path.string()},
  };
}

}  // namespace

std::string StatsJson(const PoolSnapshot& pool, const Metrics& metrics, const Config& config,
                      const ProcessInfo& process) {
  json::object errors;
  for (int i = 0; i < kAnswerErrorCount; ++i) {
    errors[AnswerErrorName(static_cast<AnswerError>(i))] =
        metrics.errors[static_cast<std::size_t>(i)];
  }
  const LatencyWindow::Percentiles p = metrics.job_latency.Compute();
  const auto us = [](double v) { return static_cast<std::uint64_t>(v + 0.5); };
  json::object latency{{"count", p.count},
                       {"p50", us(p.p50_us)},
                       {"p90", us(p.p90_us)},
                       {"p99", us(p.p99_us)},
                       {"max", us(p.max_us)}};
  json::object root;
  root["workers"] = WorkersJson(pool.workers, pool.taken_ns);
  root["reserve_workers"] = WorkersJson(pool.reserve_workers, pool.taken_ns);
  root["workers_target"] = pool.target_workers;
  root["reserve_workers_target"] = pool.target_reserve_workers;
  root["respawn_backoff_ms"] = pool.respawn_backoff_ms;
  root["worker_recycles"] = metrics.worker_recycles;
  root["worker_cancels"] = metrics.worker_cancels;
  root["jobs_cancelled"] = metrics.jobs_cancelled;
  root["queue_depth"] = pool.queue_depth;
  root["backlog"] = pool.backlog;
  root["flows"] = FlowsJson(pool.top_flows);
  root["jobs_pending"] = pool.jobs_pending;
  root["quarantined_inputs"] = pool.quarantined_inputs;
  root["connections_open"] = metrics.connections_open;
  root["connections_limit"] = process.connections_limit;
  root["open_file_limit"] = process.open_file_limit;
  root["connections_total"] = metrics.connections_total;
  root["connections_refused"] = metrics.connections_refused;
  root["connections_idle_closed"] = metrics.connections_idle_closed;
  root["connections_proxy_refused"] = metrics.connections_proxy_refused;
  root["connections_evicted"] = metrics.connections_evicted;
  json::object busy;
  for (std::size_t i = 0; i < kBusyReasonCount; ++i) {
    busy[BusyReasonName(static_cast<BusyReason>(i))] = metrics.busy[i];
  }
  root["busy"] = std::move(busy);
  root["bytes_in"] = metrics.bytes_in;
  root["bytes_out"] = metrics.bytes_out;
  root["requests"] = metrics.requests;
  root["results"] = metrics.results;
  root["errors"] = std::move(errors);
  root["worker_crashes"] = metrics.worker_crashes;
  root["worker_timeouts"] = metrics.worker_timeouts;
  root["job_retries"] = metrics.job_retries;
  root["lock_recoveries"] = pool.lock_recoveries;
  root["shm"] = json::object{{"free_bytes", pool.shm_free_bytes},
                             {"result_bytes_in_flight", pool.result_bytes_in_flight},
                             {"result_bytes_held", pool.result_bytes_held},
                             {"result_bytes_piped", pool.result_bytes_piped},
                             {"jobs_waiting", pool.jobs_waiting_for_shm},
                             {"jobs_waited", pool.jobs_waited_for_shm},
                             {"results_piped", pool.results_piped}};
  root["job_latency_us"] = std::move(latency);
  root["estimate_error"] = EstimateErrorJson(pool, metrics);
  root["metrics_port"] = process.metrics_port;
  root["agent_port"] = process.agent_port;
  root["uptime_s"] = std::chrono::duration_cast<std::chrono::seconds>(process.uptime).count();
  root["uptime_ms"] = Millis(process.uptime);
  root["version"] = process.version;
  root["pid"] = process.pid;
  root["settings"] = SettingsJson(config);
  return json::serialize(root);
}

}  // namespace fibpool::supervisor
