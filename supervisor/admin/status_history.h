// The status page's memory: the last kCapacity once-a-second samples of the
// figures it charts (requests/s, queue depth, backlog, job latency p99,
// workers busy), so that a page opened now draws the last five minutes at
// once (GET /status/history, http_routes.h) and then continues live.
//
// A fixed-size ring: memory is bounded by kCapacity whatever the uptime.
// Pure: the caller passes the figures and the time (status_recorder.h
// samples them). Not thread-safe: owned by the supervisor's event loop.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fibpool::supervisor {

// How often the figures are sampled.
inline constexpr std::chrono::milliseconds kStatusSamplePeriod{1000};

// What is read at one sampling instant. `requests` is the running total;
// the rate is taken between two samples.
struct StatusFigures {
  std::int64_t uptime_ms = 0;
  std::uint64_t requests = 0;
  std::uint64_t queue_depth = 0;
  std::uint64_t backlog = 0;
  std::uint64_t p99_us = 0;
  unsigned workers_busy = 0;
};

struct StatusSample {
  std::int64_t uptime_ms = 0;
  double requests_per_s = 0;  // since the previous sample; 0 for the first
  std::uint64_t queue_depth = 0;
  std::uint64_t backlog = 0;
  std::uint64_t p99_us = 0;
  unsigned workers_busy = 0;
};

class StatusHistory {
 public:
  static constexpr std::size_t kCapacity = 300;  // five minutes at one sample a second

  // Appends a sample, dropping the oldest when full. A sample not later than
  // the previous one gets a rate of 0.
  void Record(const StatusFigures& figures);
  // The samples held, oldest first.
  std::vector<StatusSample> Samples() const;
  std::size_t size() const { return size_; }
  // The figures of the last Record(), if any: the page continues its rate
  // from them.
  const std::optional<StatusFigures>& last() const { return last_; }
  // {"capacity":300,"period_ms":1000,"requests":R,"uptime_ms":T,
  //  "samples":{"uptime_ms":[...],"requests_per_s":[...],"queue_depth":[...],
  //  "backlog":[...],"p99_us":[...],"workers_busy":[...]}}: the columns oldest
  // first; "requests" and "uptime_ms" are those of the last sample (0 when
  // there is none).
  std::string Json() const;

 private:
  std::array<StatusSample, kCapacity> ring_{};
  std::size_t next_ = 0;  // where the next sample goes
  std::size_t size_ = 0;
  std::optional<StatusFigures> last_;
};

}  // namespace fibpool::supervisor
