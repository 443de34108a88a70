#include "supervisor/prometheus_report.h"

#include <cstdio>

namespace fibpool::supervisor {

namespace {

class Exposition {
 public:
  void Header(const char* name, const char* type, const char* help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }
  void Sample(const std::string& name_and_labels, double value) {
    char number[64];
    std::snprintf(number, sizeof number, "%.17g", value);
    out_ += name_and_labels;
    out_ += ' ';
    out_ += number;
    out_ += '\n';
  }
  void Single(const char* name, const char* type, const char* help, double value) {
    Header(name, type, help);
    Sample(name, value);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

double D(std::uint64_t v) { return static_cast<double>(v); }

}  // namespace

std::string PrometheusText(const PoolSnapshot& pool, const Metrics& m) {
  Exposition e;
  e.Header("fibpool_requests_total", "counter", "Request lines answered, by outcome.");
  e.Sample("fibpool_requests_total{outcome=\"ok\"}", D(m.results));
  e.Sample("fibpool_requests_total{outcome=\"command\"}", D(m.requests - m.results - [&] {
             std::uint64_t errors = 0;
             for (auto n : m.errors) errors += n;
             return errors;
           }()));
  for (int i = 0; i < kErrorCodeCount; ++i) {
    e.Sample("fibpool_requests_total{outcome=\"" +
                 std::string(ErrorCodeName(static_cast<ErrorCode>(i))) + "\"}",
             D(m.errors[static_cast<std::size_t>(i)]));
  }

  e.Header("fibpool_job_duration_seconds", "histogram",
           "Time from submission to result, by algorithm.");
  const char* algorithms[] = {"fast", "recursive"};
  for (std::size_t a = 0; a < m.job_duration.size(); ++a) {
    const DurationHistogram& h = m.job_duration[a];
    const std::string label = std::string("algorithm=\"") + algorithms[a] + "\"";
    for (std::size_t b = 0; b < DurationHistogram::kBoundsSeconds.size(); ++b) {
      char le[32];
      std::snprintf(le, sizeof le, "%g", DurationHistogram::kBoundsSeconds[b]);
      e.Sample("fibpool_job_duration_seconds_bucket{" + label + ",le=\"" + le + "\"}",
               D(h.CumulativeCount(b)));
    }
    e.Sample("fibpool_job_duration_seconds_bucket{" + label + ",le=\"+Inf\"}", D(h.count()));
    e.Sample("fibpool_job_duration_seconds_sum{" + label + "}", h.sum_seconds());
    e.Sample("fibpool_job_duration_seconds_count{" + label + "}", D(h.count()));
  }

  std::uint64_t busy = 0;
  for (const WorkerView& w : pool.workers) busy += w.state == "busy" ? 1 : 0;
  e.Single("fibpool_workers_alive", "gauge", "Worker processes running.", D(pool.workers.size()));
  e.Single("fibpool_workers_busy", "gauge", "Workers running a job.", D(busy));
  e.Single("fibpool_workers_target", "gauge", "Configured worker count.", D(pool.target_workers));
  e.Single("fibpool_queue_depth", "gauge", "Jobs in the shared-memory queue.", D(pool.queue_depth));
  e.Single("fibpool_backlog", "gauge", "Jobs waiting for room in the queue.", D(pool.backlog));
  e.Single("fibpool_jobs_pending", "gauge", "Jobs submitted and not yet answered.",
           D(pool.jobs_pending));
  e.Header("fibpool_flow_queued_jobs", "gauge",
           "Jobs waiting in the backlog, for the clients with the most of them.");
  for (const FlowDepth& f : pool.top_flows) {
    e.Sample("fibpool_flow_queued_jobs{flow=\"" + f.flow + "\"}", D(f.queued));
  }

  e.Header("fibpool_worker_restarts_total", "counter", "Workers replaced, by cause.");
  e.Sample("fibpool_worker_restarts_total{cause=\"crash\"}", D(m.worker_crashes));
  e.Sample("fibpool_worker_restarts_total{cause=\"timeout\"}", D(m.worker_timeouts));
  e.Sample("fibpool_worker_restarts_total{cause=\"recycle\"}", D(m.worker_recycles));
  e.Sample("fibpool_worker_restarts_total{cause=\"cancel\"}", D(m.worker_cancels));
  e.Single("fibpool_job_retries_total", "counter", "Jobs retried after their worker died.",
           D(m.job_retries));
  e.Single("fibpool_inputs_quarantined_total", "counter",
           "Inputs refused for a while because their job killed two workers.",
           D(m.inputs_quarantined));
  e.Single("fibpool_quarantined_inputs", "gauge", "Inputs refused now (quarantined).",
           D(pool.quarantined_inputs));
  e.Single("fibpool_jobs_cancelled_total", "counter", "Jobs abandoned by their client.",
           D(m.jobs_cancelled));
  e.Single("fibpool_respawn_backoff_seconds", "gauge",
           "Current back-off before respawning crashing workers.",
           D(pool.respawn_backoff_ms) / 1000.0);

  e.Single("fibpool_connections_open", "gauge", "Client connections open.", D(m.connections_open));
  e.Single("fibpool_connections_total", "counter", "Client connections accepted.",
           D(m.connections_total));
  e.Single("fibpool_connections_refused_total", "counter",
           "Connections refused over max_connections.", D(m.connections_refused));
  e.Single("fibpool_connections_idle_closed_total", "counter", "Connections closed for idleness.",
           D(m.connections_idle_closed));
  e.Single("fibpool_bytes_in_total", "counter", "Bytes read from clients.", D(m.bytes_in));
  e.Single("fibpool_bytes_out_total", "counter", "Bytes written to clients.", D(m.bytes_out));
  e.Single("fibpool_lock_recoveries_total", "counter",
           "Queue locks recovered from a worker that died holding them.", D(pool.lock_recoveries));
  return e.Take();
}

}  // namespace fibpool::supervisor
