#include "supervisor/admin/status_history.h"

#include <boost/json.hpp>

namespace fibpool::supervisor {

namespace json = boost::json;

void StatusHistory::Record(const StatusFigures& f) {
  StatusSample s;
  s.uptime_ms = f.uptime_ms;
  if (last_ && f.uptime_ms > last_->uptime_ms && f.requests >= last_->requests) {
    s.requests_per_s = static_cast<double>(f.requests - last_->requests) * 1000.0 /
                       static_cast<double>(f.uptime_ms - last_->uptime_ms);
  }
  s.queue_depth = f.queue_depth;
  s.backlog = f.backlog;
  s.p99_us = f.p99_us;
  s.workers_busy = f.workers_busy;
  ring_[next_] = s;
  next_ = (next_ + 1) % kCapacity;
  if (size_ < kCapacity) ++size_;
  last_ = f;
}

std::vector<StatusSample> StatusHistory::Samples() const {
  std::vector<StatusSample> out;
  out.reserve(size_);
  const std::size_t first = (next_ + kCapacity - size_) % kCapacity;
  for (std::size_t i = 0; i < size_; ++i) out.push_back(ring_[(first + i) % kCapacity]);
  return out;
}

std::string StatusHistory::Json() const {
  json::array uptime, rate, queue, backlog, p99, busy;
  for (const StatusSample& s : Samples()) {
    uptime.push_back(s.uptime_ms);
    rate.push_back(s.requests_per_s);
    queue.push_back(s.queue_depth);
    backlog.push_back(s.backlog);
    p99.push_back(s.p99_us);
    busy.push_back(s.workers_busy);
  }
  json::object root;
  root["capacity"] = kCapacity;
  root["period_ms"] = kStatusSamplePeriod.count();
  root["requests"] = last_ ? last_->requests : 0;
  root["uptime_ms"] = last_ ? last_->uptime_ms : 0;
  root["samples"] = json::object{{"uptime_ms", std::move(uptime)}, {"requests_per_s", std::move(rate)},
                                 {"queue_depth", std::move(queue)}, {"backlog", std::move(backlog)},
                                 {"p99_us", std::move(p99)},       {"workers_busy", std::move(busy)}};
  return json::serialize(root);
}

}  // namespace fibpool::supervisor
