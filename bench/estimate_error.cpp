#include "bench/estimate_error.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>

namespace fibpool::bench {

std::vector<EstimateError> EstimateErrorsFromStats(std::string_view stats_json) {
  boost::system::error_code ec;
  const boost::json::value stats = boost::json::parse(stats_json, ec);
  std::vector<EstimateError> out;
  if (ec || !stats.is_object()) return out;
  const auto* errors = stats.as_object().if_contains("estimate_error");
  if (errors == nullptr || !errors->is_object()) return out;
  for (const auto& [algorithm, figures] : errors->as_object()) {
    if (!figures.is_object()) continue;
    const auto number = [&](const char* key, double fallback) {
      const auto* v = figures.as_object().if_contains(key);
      return v != nullptr && v->is_number() ? v->to_number<double>() : fallback;
    };
    out.push_back(EstimateError{std::string(algorithm),
                                static_cast<std::uint64_t>(number("jobs", 0)), number("p50", 0),
                                number("p99", 0), number("factor", 1)});
  }
  return out;
}

std::vector<EstimateError> AskEstimateErrors(const boost::asio::ip::tcp::endpoint& endpoint,
                                             std::chrono::milliseconds timeout) {
  boost::asio::ip::tcp::iostream stream;
  stream.expires_after(timeout);
  stream.connect(endpoint);
  if (!stream) return {};
  stream << "stats\n" << std::flush;
  std::string line;
  if (!std::getline(stream, line)) return {};
  return EstimateErrorsFromStats(line);
}

}  // namespace fibpool::bench
