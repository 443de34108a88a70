#include "bench/soak_stats.h"

#include <boost/json.hpp>

#include "bench/clock.h"

namespace fibpool::bench {

namespace {

std::vector<pid_t> Pids(const boost::json::value* lane, bool* starting) {
  std::vector<pid_t> pids;
  if (lane == nullptr || !lane->is_array()) return pids;
  for (const boost::json::value& w : lane->as_array()) {
    if (!w.is_object()) continue;
    const auto* pid = w.as_object().if_contains("pid");
    const auto* state = w.as_object().if_contains("state");
    if (state && state->is_string() && state->as_string() == "starting") *starting = true;
    if (pid && pid->is_int64() && pid->as_int64() > 0)
      pids.push_back(static_cast<pid_t>(pid->as_int64()));
  }
  return pids;
}

}  // namespace

std::optional<PoolView> PoolViewFromStats(std::string_view stats_json) {
  boost::system::error_code ec;
  const boost::json::value stats = boost::json::parse(stats_json, ec);
  if (ec || !stats.is_object()) return std::nullopt;
  const boost::json::object& o = stats.as_object();
  const auto* target = o.if_contains("workers_target");
  if (!o.contains("workers") || target == nullptr || !target->is_number()) return std::nullopt;
  PoolView view;
  view.workers = Pids(o.if_contains("workers"), &view.starting);
  view.reserve_workers = Pids(o.if_contains("reserve_workers"), &view.starting);
  view.workers_target = target->to_number<unsigned>();
  if (const auto* c = o.if_contains("worker_crashes"); c && c->is_number())
    view.worker_crashes = c->to_number<std::uint64_t>();
  return view;
}

std::optional<PoolView> StatsProbe::Ask(std::chrono::milliseconds timeout) {
  const std::int64_t deadline = NowNanos() + timeout.count() * 1'000'000;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!socket_.connected() && socket_.Connect(endpoint_) != IoStatus::kOk) return std::nullopt;
    std::string line;
    if (socket_.Send("stats\n", deadline) == IoStatus::kOk &&
        socket_.ReadLine(&line, deadline, 1 << 20) == IoStatus::kOk) {
      return PoolViewFromStats(line);
    }
    // Broken or late: a late answer would be read as the next one's; start afresh.
    socket_.Close();
  }
  return std::nullopt;
}

}  // namespace fibpool::bench
