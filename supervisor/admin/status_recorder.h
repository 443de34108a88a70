// Samples the status page's figures once every kStatusSamplePeriod into a
// StatusHistory (status_history.h), on the event loop's thread.
//
// Lifetime: owns its timer; Stop() (or destruction) ends the sampling. The
// `read` function must stay callable until then. Not thread-safe: the pool's
// thread only. Never throws once constructed.
#pragma once

#include <chrono>
#include <functional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "supervisor/admin/status_history.h"
#include "supervisor/metrics/metrics.h"
#include "supervisor/pool/pool_snapshot.h"

namespace fibpool::supervisor {

// The figures the page charts, read from the pool and the metrics.
StatusFigures StatusFiguresOf(const PoolSnapshot& pool, const Metrics& metrics,
                              std::chrono::steady_clock::duration uptime);

class StatusRecorder {
 public:
  StatusRecorder(boost::asio::io_context& io, std::function<StatusFigures()> read);
  // Takes a sample now, then one every kStatusSamplePeriod.
  void Start();
  void Stop();
  const StatusHistory& history() const { return history_; }

 private:
  void Sample();

  boost::asio::steady_timer timer_;
  std::function<StatusFigures()> read_;
  StatusHistory history_;
  bool running_ = false;
};

}  // namespace fibpool::supervisor
