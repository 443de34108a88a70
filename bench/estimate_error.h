// The cost model's error as the fibpool measured reports it in `stats`
// (estimate_error, docs/scheduling.md): per algorithm, how many jobs judged
// the model, the p50 and p99 of their measured / estimated CPU time, and the
// correction factor fibpool learned.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

namespace fibpool::bench {

struct EstimateError {
  std::string algorithm;
  std::uint64_t jobs = 0;
  double p50 = 0;
  double p99 = 0;
  double factor = 1;
};

// From one `stats` answer. Pure; empty when the answer is not JSON or has no
// estimate_error (a fibpool that does not report it). Never throws.
std::vector<EstimateError> EstimateErrorsFromStats(std::string_view stats_json);

// Asks the fibpool at `endpoint` for `stats` on a new connection, waiting at
// most `timeout`; empty when it does not answer. Never throws.
std::vector<EstimateError> AskEstimateErrors(const boost::asio::ip::tcp::endpoint& endpoint,
                                             std::chrono::milliseconds timeout);

}  // namespace fibpool::bench
