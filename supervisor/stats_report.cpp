#include "supervisor/stats_report.h"

#include <boost/json.hpp>

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
}  // namespace

std::string StatsJson(const PoolSnapshot& pool, const Metrics& metrics,
                      std::chrono::steady_clock::duration uptime, int metrics_port) {
  const auto to_json = [](const std::vector<WorkerView>& views) {
    json::array workers;
    for (const WorkerView& w : views) {
      json::object o;
      o["pid"] = w.pid;
      o["state"] = w.state;
      o["jobs_done"] = w.jobs_done;
      o["current_job"] = w.current_job == 0 ? json::value(nullptr) : json::value(w.current_job);
      workers.push_back(std::move(o));
    }
    return workers;
  };
  json::object errors;
  for (int i = 0; i < kErrorCodeCount; ++i) {
    errors[ErrorCodeName(static_cast<ErrorCode>(i))] = metrics.errors[static_cast<std::size_t>(i)];
  }
  const LatencyWindow::Percentiles p = metrics.job_latency.Compute();
  const auto us = [](double v) { return static_cast<std::uint64_t>(v + 0.5); };
  json::object latency{{"count", p.count},
                       {"p50", us(p.p50_us)},
                       {"p90", us(p.p90_us)},
                       {"p99", us(p.p99_us)},
                       {"max", us(p.max_us)}};
  json::object root;
  root["workers"] = to_json(pool.workers);
  root["reserve_workers"] = to_json(pool.reserve_workers);
  root["workers_target"] = pool.target_workers;
  root["respawn_backoff_ms"] = pool.respawn_backoff_ms;
  root["worker_recycles"] = metrics.worker_recycles;
  root["worker_cancels"] = metrics.worker_cancels;
  root["jobs_cancelled"] = metrics.jobs_cancelled;
  root["queue_depth"] = pool.queue_depth;
  root["backlog"] = pool.backlog;
  root["flows"] = FlowsJson(pool.top_flows);
  root["jobs_pending"] = pool.jobs_pending;
  root["connections_open"] = metrics.connections_open;
  root["connections_total"] = metrics.connections_total;
  root["connections_refused"] = metrics.connections_refused;
  root["connections_idle_closed"] = metrics.connections_idle_closed;
  root["bytes_in"] = metrics.bytes_in;
  root["bytes_out"] = metrics.bytes_out;
  root["requests"] = metrics.requests;
  root["results"] = metrics.results;
  root["errors"] = std::move(errors);
  root["worker_crashes"] = metrics.worker_crashes;
  root["worker_timeouts"] = metrics.worker_timeouts;
  root["job_retries"] = metrics.job_retries;
  root["lock_recoveries"] = pool.lock_recoveries;
  root["job_latency_us"] = std::move(latency);
  root["metrics_port"] = metrics_port < 0 ? json::value(nullptr) : json::value(metrics_port);
  root["uptime_s"] = std::chrono::duration_cast<std::chrono::seconds>(uptime).count();
  return json::serialize(root);
}

}  // namespace fibpool::supervisor
