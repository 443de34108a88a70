// The `stats` answer as tests read it: asked over a LineClient and parsed
// with Boost.JSON. Header-only; Boost.JSON's implementation is linked in with
// test_json (tests/support/json_impl.cpp) or supervisor_core. Throws
// std::runtime_error when there is no answer or it is not a JSON object
// (boost::json::system_error when it is malformed).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "tests/support/line_client.h"

namespace fibpool::testing {

struct WorkerStat {
  pid_t pid = -1;
  std::string state;  // starting, idle, busy
  std::uint64_t jobs_done = 0;
  std::optional<std::uint64_t> current_job;
};

inline boost::json::object AskStats(LineClient& client) {
  const std::optional<std::string> line = client.Ask("stats");
  if (!line) throw std::runtime_error("no answer to stats");
  boost::json::value v = boost::json::parse(*line);
  if (!v.is_object()) throw std::runtime_error("stats is not a JSON object: " + *line);
  return std::move(v.as_object());
}

inline std::vector<WorkerStat> WorkersOf(const boost::json::object& stats) {
  std::vector<WorkerStat> out;
  for (const boost::json::value& w : stats.at("workers").as_array()) {
    const boost::json::object& o = w.as_object();
    WorkerStat s;
    s.pid = static_cast<pid_t>(o.at("pid").to_number<std::int64_t>());
    s.state = std::string(o.at("state").as_string());
    s.jobs_done = o.at("jobs_done").to_number<std::uint64_t>();
    if (!o.at("current_job").is_null())
      s.current_job = o.at("current_job").to_number<std::uint64_t>();
    out.push_back(std::move(s));
  }
  return out;
}

inline std::vector<WorkerStat> BusyWorkers(const boost::json::object& stats) {
  std::vector<WorkerStat> busy;
  for (WorkerStat& w : WorkersOf(stats)) {
    if (w.state == "busy") busy.push_back(std::move(w));
  }
  return busy;
}

// Jobs the workers of both lanes have done, as `stats` shows them.
inline std::uint64_t JobsDone(const boost::json::object& stats) {
  std::uint64_t done = 0;
  for (const char* lane : {"workers", "reserve_workers"}) {
    for (const boost::json::value& w : stats.at(lane).as_array())
      done += w.at("jobs_done").to_number<std::uint64_t>();
  }
  return done;
}

// A counter of the stats object, e.g. Counter(s, "errors", "busy") or
// Counter(s, "job_retries").
inline std::uint64_t Counter(const boost::json::object& stats, const char* key,
                             const char* subkey = nullptr) {
  const boost::json::value& v = stats.at(key);
  return (subkey ? v.as_object().at(subkey) : v).to_number<std::uint64_t>();
}

// The HTTP metrics port `stats` reports (started with --metrics-port).
inline std::uint16_t MetricsPort(LineClient& client) {
  return static_cast<std::uint16_t>(AskStats(client).at("metrics_port").to_number<int>());
}

}  // namespace fibpool::testing
