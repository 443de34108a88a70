// What the connections of one event-loop thread need from the server: the
// limits, the executor their jobs go to, the metrics and the logs. Made by
// the server (one for the pool's thread, a copy for each I/O thread, whose
// executor is that thread's PoolGate); outlives every connection that uses
// it. Pure data.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "supervisor/config/config.h"
#include "supervisor/job_executor.h"
#include "supervisor/metrics/metrics.h"
#include "supervisor/protocol/request_parser.h"

namespace fibpool::supervisor {

class ConnectionLog;
class ConnectionManager;

// How long a closing connection (or a refused PROXY handshake) keeps reading
// and discarding after its last answer, waiting for the client's FIN, so
// that its close never turns into a reset that destroys unread answers.
inline constexpr std::chrono::seconds kLinger{1};

struct ConnectionEnv {
  ParserLimits limits;
  // The limits; their defaults are the settings' (config.h).
  std::size_t max_line = Config{}.max_line;
  std::size_t max_inflight = Config{}.max_inflight_per_connection;
  std::uint64_t max_output_bytes = Config{}.max_output_per_connection;
  std::chrono::milliseconds idle_timeout = Config{}.idle_timeout;
  bool proxy_protocol = Config{}.proxy_protocol;  // a PROXY header comes first
  JobExecutor* executor = nullptr;
  Metrics* metrics = nullptr;
  int metrics_port = -1;  // named to a client that sends HTTP here; -1: no metrics server
  std::function<std::string()> stats;  // the `stats` line, without LF
  // Where `stats` must be called (the thread that owns the figures), when
  // that is not the connection's own; its line comes back to the connection.
  boost::asio::any_io_executor stats_executor;
  ConnectionLog* log = nullptr;          // its thread's log lines and access log
  ConnectionManager* manager = nullptr;  // holds the connection; counts its slot
};

}  // namespace fibpool::supervisor
