#include "bench/request_set.h"

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

}  // namespace fibpool::bench
