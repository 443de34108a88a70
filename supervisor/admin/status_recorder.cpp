#include "supervisor/admin/status_recorder.h"

#include <algorithm>

namespace fibpool::supervisor {

StatusFigures StatusFiguresOf(const PoolSnapshot& pool, const Metrics& metrics,
                              std::chrono::steady_clock::duration uptime) {
  const auto busy = [](const std::vector<WorkerView>& lane) {
    return static_cast<unsigned>(
        std::count_if(lane.begin(), lane.end(), [](const WorkerView& w) { return w.state == "busy"; }));
  };
  StatusFigures f;
  f.uptime_ms = std::chrono::duration_cast<std::chrono::milliseconds>(uptime).count();
  f.requests = metrics.requests;
  f.queue_depth = pool.queue_depth;
  f.backlog = pool.backlog;
  f.p99_us = static_cast<std::uint64_t>(metrics.job_latency.Compute().p99_us + 0.5);
  f.workers_busy = busy(pool.workers) + busy(pool.reserve_workers);
  return f;
}

StatusRecorder::StatusRecorder(boost::asio::io_context& io, std::function<StatusFigures()> read)
    : timer_(io), read_(std::move(read)) {}

void StatusRecorder::Start() {
  if (running_) return;
  running_ = true;
  timer_.expires_after(std::chrono::steady_clock::duration::zero());
  Sample();
}

void StatusRecorder::Stop() {
  running_ = false;
  timer_.cancel();
}

void StatusRecorder::Sample() {
  history_.Record(read_());
  // From the last deadline, not from now: no drift; after a stall, no burst.
  const auto now = std::chrono::steady_clock::now();
  timer_.expires_at(std::max(timer_.expiry() + kStatusSamplePeriod, now));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec && running_) Sample();
  });
}

}  // namespace fibpool::supervisor
