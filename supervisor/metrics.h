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

namespace fibpool::supervisor {

// The last kCapacity samples, for percentiles over recent traffic.
class LatencyWindow {
 public:
  static constexpr std::size_t kCapacity = 4096;
  struct Percentiles {
    std::uint64_t count = 0;  // samples ever recorded
    double p50_us = 0, p90_us = 0, p99_us = 0, max_us = 0;
  };
  void Record(std::uint64_t nanos);
  Percentiles Compute() const;

 private:
  std::vector<std::uint64_t> samples_;
  std::size_t next_ = 0;
  std::uint64_t count_ = 0;
};

// A Prometheus-style cumulative histogram of durations.
class DurationHistogram {
 public:
  static constexpr std::array<double, 12> kBoundsSeconds = {
      0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30};
  void Record(std::uint64_t nanos);
  // Count of samples <= kBoundsSeconds[i] (cumulative).
  std::uint64_t CumulativeCount(std::size_t i) const;
  std::uint64_t count() const { return count_; }
  double sum_seconds() const { return sum_seconds_; }

 private:
  std::array<std::uint64_t, kBoundsSeconds.size()> buckets_{};  // per bucket, not cumulative
  std::uint64_t count_ = 0;
  double sum_seconds_ = 0;
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
  std::uint64_t inputs_quarantined = 0;           // inputs whose job killed two workers
  std::uint64_t jobs_cancelled = 0;               // abandoned by their client before answering
  LatencyWindow job_latency;                      // submit to result, in the supervisor
  std::array<DurationHistogram, 2> job_duration;  // by algorithm: fast, recursive

  void CountError(AnswerError code) { ++errors[static_cast<std::size_t>(code)]; }
  void RecordJob(ipc::Algorithm algorithm, std::uint64_t nanos) {
    job_latency.Record(nanos);
    job_duration[algorithm == ipc::Algorithm::kFast ? 0 : 1].Record(nanos);
  }
};

}  // namespace fibpool::supervisor
