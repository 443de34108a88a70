// The requests the bench sends and the answers it expects, computed in this
// process with worker/fibonacci.h (BigFibonacci), never taken from the server.
//
// Answers are shared (std::shared_ptr) because a big one is tens of MB and
// many requests and connections refer to the same one. Immutable once made;
// safe to share between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace fibpool::bench {

struct RequestLine {
  std::string line;                             // as sent, LF included
  std::shared_ptr<const std::string> expected;  // the answer's digits, no LF
};

// "N fast" for N in [0, max_n]: jobs that cost the pool nothing but overhead.
std::vector<RequestLine> TinyRequests(std::uint64_t max_n = 20);

// "N recursive" (N <= 93).
RequestLine RecursiveRequest(std::uint64_t n);

// "N fast". `digits` is F(N) if the caller has it already (a big N);
// otherwise it is computed here.
RequestLine FastRequest(std::uint64_t n, std::shared_ptr<const std::string> digits = nullptr);

// A job as the bench's options name it: "N", "N fast" or "N recursive".
// Throws std::invalid_argument for another algorithm or a recursive N above
// worker::kMaxRecursiveN (option parsing).
RequestLine ParseJob(const std::string& text);

// F(n) in decimal, computed in-process.
std::string FibDecimal(std::uint64_t n);

}  // namespace fibpool::bench
