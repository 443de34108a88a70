// The soak's view of fibpool's worker pool, from its `stats` answer: the
// pids of the main lane's and the reserve lane's workers, the main lane's
// target size, and whether every worker is past start-up.
//
// StatsProbe owns one connection to fibpool, kept open across questions (so
// that it is part of the supervisor's descriptors at rest both before and
// after the load) and made again if it breaks. Not thread-safe: one thread
// asks through one probe. Failure is std::nullopt (no answer by the deadline,
// or an answer that is not the JSON expected); nothing throws.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "bench/soak_socket.h"

namespace fibpool::bench {

struct PoolView {
  std::vector<pid_t> workers;          // main lane
  std::vector<pid_t> reserve_workers;  // reserve lane
  unsigned workers_target = 0;
  bool starting = false;  // some worker is still starting
  std::uint64_t worker_crashes = 0;
};

// Pure: the pool in one `stats` line; std::nullopt when it is not one.
std::optional<PoolView> PoolViewFromStats(std::string_view stats_json);

class StatsProbe {
 public:
  explicit StatsProbe(boost::asio::ip::tcp::endpoint endpoint) : endpoint_(endpoint) {}
  std::optional<PoolView> Ask(std::chrono::milliseconds timeout);

 private:
  boost::asio::ip::tcp::endpoint endpoint_;
  SoakSocket socket_;
};

}  // namespace fibpool::bench
