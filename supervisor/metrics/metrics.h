// Counters, histograms and latency percentiles the supervisor keeps about
// itself, read by `stats` and by /metrics.
//
// Threading: the connections' counters (Counter fields) are updated from
// every I/O thread and read from the pool's; the pool's figures (the rest)
// are updated and read on the pool's thread only (server.h).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "ipc/job.h"
#include "supervisor/metrics/histogram.h"
#include "supervisor/metrics/job_cost_histograms.h"
#include "supervisor/metrics/sample_window.h"
#include "supervisor/protocol/answer_error.h"
#include "supervisor/protocol/busy_reason.h"
#include "supervisor/sched/cost_model.h"

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

// A count any thread may change and read: relaxed atomic operations, as
// nothing else is ordered by it.
class Counter {
 public:
  Counter& operator++() { return *this += 1; }
  Counter& operator--() {
    value_.fetch_sub(1, std::memory_order_relaxed);
    return *this;
  }
  Counter& operator+=(std::uint64_t n) {
    value_.fetch_add(n, std::memory_order_relaxed);
    return *this;
  }
  operator std::uint64_t() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

struct Metrics {
  Counter connections_open;
  Counter connections_total;
  Counter connections_refused;  // over max_connections or max_connections_per_client
  Counter connections_evicted;  // idle, closed to admit another address (connection_quota.h)
  Counter connections_idle_closed;
  Counter connections_proxy_refused;  // no valid PROXY header (proxy_protocol on)
  Counter bytes_in;
  Counter bytes_out;
  Counter requests;  // requests read (not blank lines); answered unless the client left
  Counter results;   // F(n) answers sent
  std::array<Counter, kAnswerErrorCount> errors{};
  std::array<Counter, kBusyReasonCount> busy{};  // ERR busy answers and refusals, by reason
  // Worker restarts by cause.
  std::uint64_t worker_crashes = 0;   // died unasked
  std::uint64_t worker_timeouts = 0;  // killed for a job past job_timeout
  std::uint64_t worker_recycles = 0;  // max_jobs_per_worker or max_worker_memory
  std::uint64_t worker_cancels = 0;   // killed to stop a job nobody waits for
  std::uint64_t job_retries = 0;
  std::uint64_t inputs_quarantined = 0;  // inputs whose job killed two workers
  std::uint64_t jobs_cancelled = 0;      // abandoned by their client before answering
  LatencyWindow job_latency;             // submit to result, in the supervisor
  // By ipc::AlgorithmIndex(), then JobSize (cheap, big): what a tiny request
  // waits is the cheap jobs' series alone.
  std::array<std::array<DurationHistogram, kJobSizeCount>, ipc::kAlgorithmCount> job_duration;
  JobCostHistograms job_cost;                                        // measured in the workers
  // The cost model's error: a job's measured CPU time over the estimate it
  // was scheduled and admitted with, by ipc::AlgorithmIndex(), for jobs
  // estimated at CostCorrection::kMinLearnNanos or more.
  std::array<SampleWindow, ipc::kAlgorithmCount> estimate_error;

  void CountError(AnswerError code) { ++errors[static_cast<std::size_t>(code)]; }
  void CountBusy(BusyReason reason) { ++busy[static_cast<std::size_t>(reason)]; }
  void RecordJob(ipc::Algorithm algorithm, JobSize size, std::uint64_t nanos) {
    job_latency.Record(nanos);
    job_duration[ipc::AlgorithmIndex(algorithm)][static_cast<std::size_t>(size)].Record(nanos);
  }
};

}  // namespace fibpool::supervisor
