#include "bench/request_set.h"

#include <stdexcept>

#include "worker/fibonacci.h"

namespace fibpool::bench {

std::string FibDecimal(std::uint64_t n) { return worker::BigFibonacci(n).ToDecimal(); }

std::vector<RequestLine> TinyRequests(std::uint64_t max_n) {
  std::vector<RequestLine> out;
  for (std::uint64_t n = 0; n <= max_n; ++n) out.push_back(FastRequest(n));
  return out;
}

RequestLine RecursiveRequest(std::uint64_t n) {
  // The recursion's F(1) = F(2) = 1 gives F(n) for every n: same digits.
  return RequestLine{std::to_string(n) + " recursive\n",
                     std::make_shared<const std::string>(FibDecimal(n))};
}

RequestLine FastRequest(std::uint64_t n, std::shared_ptr<const std::string> digits) {
  if (!digits) digits = std::make_shared<const std::string>(FibDecimal(n));
  return RequestLine{std::to_string(n) + " fast\n", std::move(digits)};
}

RequestLine ParseJob(const std::string& text) {
  const auto space = text.find(' ');
  const std::uint64_t n = std::stoull(text.substr(0, space));
  const std::string algorithm = space == std::string::npos ? "fast" : text.substr(space + 1);
  if (algorithm == "recursive") {
    if (n > worker::kMaxRecursiveN)
      throw std::invalid_argument("recursive N above " + std::to_string(worker::kMaxRecursiveN));
    return RecursiveRequest(n);
  }
  if (algorithm == "fast") return FastRequest(n);
  throw std::invalid_argument("unknown algorithm in job '" + text + "'");
}

}  // namespace fibpool::bench
