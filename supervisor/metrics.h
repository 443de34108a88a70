// Counters and latency percentiles the supervisor keeps about itself, read by
// `stats`. Not thread-safe: owned by the supervisor's event loop.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "supervisor/error_code.h"

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

struct Metrics {
  std::uint64_t connections_open = 0;
  std::uint64_t connections_total = 0;
  std::uint64_t requests = 0;  // request lines answered (results and errors)
  std::uint64_t results = 0;   // F(n) answers sent
  std::array<std::uint64_t, kErrorCodeCount> errors{};
  std::uint64_t worker_crashes = 0;   // workers that died unasked
  std::uint64_t worker_timeouts = 0;  // workers killed for a job past job_timeout
  std::uint64_t job_retries = 0;
  LatencyWindow job_latency;  // submit to result, in the supervisor

  void CountError(ErrorCode code) { ++errors[static_cast<std::size_t>(code)]; }
};

}  // namespace fibpool::supervisor
