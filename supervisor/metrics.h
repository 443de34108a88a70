// Counters, histograms and latency percentiles the supervisor keeps about
// itself, read by `stats` and by /metrics. Not thread-safe: owned by the
// supervisor's event loop.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "ipc/job.h"
#include "supervisor/answer_error.h"
#include "supervisor/histogram.h"
#include "supervisor/job_cost_histograms.h"
#include "supervisor/sample_window.h"

namespace fibpool::supervisor {

// Job latency over the last SampleWindow::kCapacity jobs.
class LatencyWindow {
 public:
  struct Percentiles {
    std::uint64_t count = 0;  // samples ever recorded
    double p50_us = 0, p90_us = 0, p99_us = 0, max_us = 0;
  };
  void Record(std::uint64_t nanos) { window_.Record(static_cast<double>(nanos)); }
  Percentiles Compute() const;

 private:
  SampleWindow window_;
};

struct Metrics {
  std::uint64_t connections_open = 0;
  std::uint64_t connections_total = 0;
  std::uint64_t connections_refused = 0;  // over max_connections
  std::uint64_t connections_idle_closed = 0;
  std::uint64_t connections_proxy_refused = 0;  // no valid PROXY header (proxy_protocol on)
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  std::uint64_t requests = 0;  // requests read (not blank lines); answered unless the client left
  std::uint64_t results = 0;   // F(n) answers sent
  std::array<std::uint64_t, kAnswerErrorCount> errors{};
  // Worker restarts by cause.
  std::uint64_t worker_crashes = 0;   // died unasked
  std::uint64_t worker_timeouts = 0;  // killed for a job past job_timeout
  std::uint64_t worker_recycles = 0;  // max_jobs_per_worker or max_worker_memory
  std::uint64_t worker_cancels = 0;   // killed to stop a job nobody waits for
  std::uint64_t job_retries = 0;
  std::uint64_t inputs_quarantined = 0;  // inputs whose job killed two workers
  std::uint64_t jobs_cancelled = 0;      // abandoned by their client before answering
  LatencyWindow job_latency;             // submit to result, in the supervisor
  std::array<DurationHistogram, ipc::kAlgorithmCount> job_duration;  // by ipc::AlgorithmIndex()
  JobCostHistograms job_cost;                                        // measured in the workers
  // The cost model's error: a job's measured CPU time over the estimate it
  // was scheduled and admitted with, by ipc::AlgorithmIndex(), for jobs
  // estimated at CostCorrection::kMinLearnNanos or more.
  std::array<SampleWindow, ipc::kAlgorithmCount> estimate_error;

  void CountError(AnswerError code) { ++errors[static_cast<std::size_t>(code)]; }
  void RecordJob(ipc::Algorithm algorithm, std::uint64_t nanos) {
    job_latency.Record(nanos);
    job_duration[ipc::AlgorithmIndex(algorithm)].Record(nanos);
  }
};

}  // namespace fibpool::supervisor
