#include "supervisor/admin/prometheus_report.h"

#include <charconv>
#include <cmath>

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
    out_ += name_and_labels;
    out_ += ' ';
    out_ += PrometheusNumber(value);
    out_ += '\n';
  }
  // The _bucket, _sum and _count samples of one histogram; `labels` without
  // braces, e.g. algorithm="fast".
  void HistogramSamples(const std::string& name, const std::string& labels, const Histogram& h) {
    for (std::size_t b = 0; b < h.bounds().size(); ++b) {
      Sample(name + "_bucket{" + labels + ",le=\"" + PrometheusNumber(h.bounds()[b]) + "\"}",
             static_cast<double>(h.CumulativeCount(b)));
    }
    Sample(name + "_bucket{" + labels + ",le=\"+Inf\"}", static_cast<double>(h.count()));
    Sample(name + "_sum{" + labels + "}", h.sum());
    Sample(name + "_count{" + labels + "}", static_cast<double>(h.count()));
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

std::uint64_t Busy(const std::vector<WorkerView>& workers) {
  std::uint64_t busy = 0;
  for (const WorkerView& w : workers) busy += w.state == "busy" ? 1 : 0;
  return busy;
}

}  // namespace

std::string PrometheusNumber(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Plain decimals read best (0.0001, 1700000000.25, 12345678); far from 1,
  // where they grow long, the shortest text of all (1e-30, 1e+300).
  constexpr std::ptrdiff_t kLongestPlain = 24;
  char number[kLongestPlain];
  if (const auto fixed =
          std::to_chars(number, number + sizeof number, value, std::chars_format::fixed);
      fixed.ec == std::errc()) {
    return std::string(number, fixed.ptr);
  }
  const auto shortest = std::to_chars(number, number + sizeof number, value);
  return std::string(number, shortest.ptr);
}

std::string PrometheusText(const PoolSnapshot& pool, const Metrics& m, const ProcessInfo& process) {
  Exposition e;
  e.Header("fibpool_requests_total", "counter", "Request lines answered, by outcome.");
  e.Sample("fibpool_requests_total{outcome=\"ok\"}", D(m.results));
  e.Sample("fibpool_requests_total{outcome=\"command\"}", D(m.requests - m.results - [&] {
             std::uint64_t errors = 0;
             for (const std::uint64_t n : m.errors) errors += n;
             return errors;
           }()));
  for (int i = 0; i < kAnswerErrorCount; ++i) {
    e.Sample("fibpool_requests_total{outcome=\"" +
                 std::string(AnswerErrorName(static_cast<AnswerError>(i))) + "\"}",
             D(m.errors[static_cast<std::size_t>(i)]));
  }

  e.Header("fibpool_job_duration_seconds", "histogram",
           "Time from submission to result, by algorithm and size (estimated cost over 20 ms: "
           "big).");
  const char* algorithms[] = {"fast", "recursive"};
  const char* sizes[] = {"cheap", "big"};
  for (std::size_t a = 0; a < m.job_duration.size(); ++a) {
    for (std::size_t s = 0; s < kJobSizeCount; ++s) {
      e.HistogramSamples("fibpool_job_duration_seconds",
                         std::string("algorithm=\"") + algorithms[a] + "\",size=\"" + sizes[s] +
                             "\"",
                         m.job_duration[a][s]);
    }
  }
  // Only the (algorithm, decade) pairs that have run: a bounded set
  // (job_cost_histograms.h), without empty series for inputs nobody asks.
  const auto job_cost = [&](const char* name, const char* help, auto histogram_of) {
    e.Header(name, "histogram", help);
    for (std::size_t a = 0; a < ipc::kAlgorithmCount; ++a) {
      for (std::size_t d = 0; d < JobCostHistograms::kDecades; ++d) {
        const Histogram& h = histogram_of(a, d);
        if (h.count() == 0) continue;
        e.HistogramSamples(name,
                           std::string("algorithm=\"") + algorithms[a] + "\",n_decade=\"" +
                               JobCostHistograms::DecadeLabel(d) + "\"",
                           h);
      }
    }
  };
  job_cost("fibpool_job_cpu_seconds",
           "CPU time a job used in its worker, by algorithm and decade of N.",
           [&](std::size_t a, std::size_t d) -> const Histogram& { return m.job_cost.cpu(a, d); });
  job_cost(
      "fibpool_job_peak_rss_bytes",
      "The worker's peak resident size after a job, by algorithm and decade of N.",
      [&](std::size_t a, std::size_t d) -> const Histogram& { return m.job_cost.peak_rss(a, d); });

  e.Single("fibpool_workers_alive", "gauge", "Worker processes running.", D(pool.workers.size()));
  e.Single("fibpool_workers_busy", "gauge", "Workers running a job.", D(Busy(pool.workers)));
  e.Single("fibpool_workers_target", "gauge", "Configured worker count.", D(pool.target_workers));
  e.Single("fibpool_reserve_workers_alive", "gauge", "Reserve-lane worker processes running.",
           D(pool.reserve_workers.size()));
  e.Single("fibpool_reserve_workers_busy", "gauge", "Reserve-lane workers running a job.",
           D(Busy(pool.reserve_workers)));
  e.Single("fibpool_reserve_workers_target", "gauge", "Configured reserve-lane worker count.",
           D(pool.target_reserve_workers));
  e.Single("fibpool_queue_depth", "gauge", "Jobs in the shared-memory queue.", D(pool.queue_depth));
  e.Single("fibpool_backlog", "gauge", "Jobs waiting for room in the queue.", D(pool.backlog));
  e.Single("fibpool_shm_free_bytes", "gauge", "Bytes free in /dev/shm.", D(pool.shm_free_bytes));
  e.Single("fibpool_result_bytes_in_flight", "gauge",
           "Result buffer bytes granted to running jobs.", D(pool.result_bytes_in_flight));
  e.Single("fibpool_result_bytes_held", "gauge",
           "Result buffer bytes mapped by the supervisor, answers not yet written.",
           D(pool.result_bytes_held));
  e.Single("fibpool_result_bytes_piped", "gauge",
           "Bytes of results routed through the pipe, answers not yet written.",
           D(pool.result_bytes_piped));
  e.Single("fibpool_jobs_waiting_for_shm", "gauge",
           "Jobs waiting for room in /dev/shm for their result.", D(pool.jobs_waiting_for_shm));
  e.Single("fibpool_jobs_waited_for_shm_total", "counter",
           "Jobs that waited for room in /dev/shm for their result.", D(pool.jobs_waited_for_shm));
  e.Single("fibpool_results_piped_total", "counter",
           "Large results routed through the worker's pipe (they could not fit in /dev/shm).",
           D(pool.results_piped));
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
  e.Single("fibpool_connections_limit", "gauge",
           "Client connections allowed: max_connections, or what the open-file limit fits.",
           D(process.connections_limit));
  e.Single("fibpool_connections_refused_total", "counter",
           "Connections refused over a connection limit or for want of a descriptor.",
           D(m.connections_refused));
  e.Single("fibpool_connections_evicted_total", "counter",
           "Idle connections closed at max_connections to admit another address's client.",
           D(m.connections_evicted));
  e.Header("fibpool_busy_total", "counter",
           "ERR busy answers to requests and to connections, by reason.");
  for (std::size_t i = 0; i < kBusyReasonCount; ++i) {
    e.Sample("fibpool_busy_total{reason=\"" +
                 std::string(BusyReasonName(static_cast<BusyReason>(i))) + "\"}",
             D(m.busy[i]));
  }
  e.Single("fibpool_connections_idle_closed_total", "counter", "Connections closed for idleness.",
           D(m.connections_idle_closed));
  e.Single("fibpool_connections_proxy_refused_total", "counter",
           "Connections refused for a missing or malformed PROXY protocol header.",
           D(m.connections_proxy_refused));
  e.Single("fibpool_bytes_in_total", "counter", "Bytes read from clients.", D(m.bytes_in));
  e.Single("fibpool_bytes_out_total", "counter", "Bytes written to clients.", D(m.bytes_out));
  e.Single("fibpool_lock_recoveries_total", "counter",
           "Queue locks recovered from a worker that died holding them.", D(pool.lock_recoveries));

  e.Header("fibpool_build_info", "gauge", "The fibpool version, as a label; always 1.");
  e.Sample("fibpool_build_info{version=\"" + std::string(process.version) + "\"}", 1);
  e.Single("fibpool_process_start_time_seconds", "gauge",
           "When the supervisor started, in seconds since the Unix epoch.", process.start_time_s);
  e.Single("fibpool_uptime_seconds", "gauge", "Seconds since the supervisor started.",
           std::chrono::duration<double>(process.uptime).count());
  e.Single("fibpool_draining", "gauge",
           "1 while the supervisor drains (answers what it has read, accepts nothing new), "
           "else 0.",
           process.draining ? 1 : 0);
  e.Single("fibpool_open_file_limit", "gauge", "The supervisor's open-file limit (soft).",
           D(process.open_file_limit));

  // The Prometheus client libraries' standard process metrics.
  const ProcessUsage& u = process.usage;
  e.Single("process_cpu_seconds_total", "counter",
           "Total user and system CPU time spent in seconds.", u.cpu_seconds);
  e.Single("process_open_fds", "gauge", "Number of open file descriptors.", u.open_fds);
  e.Single("process_max_fds", "gauge", "Maximum number of open file descriptors.", u.max_fds);
  e.Single("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.",
           u.virtual_bytes);
  e.Single("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
           u.resident_bytes);
  e.Single("process_start_time_seconds", "gauge",
           "Start time of the process since unix epoch in seconds.", process.start_time_s);
  return e.Take();
}

}  // namespace fibpool::supervisor
