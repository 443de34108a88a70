// What the soak's clients saw, counted per kind of client: requests, answers
// by verdict (soak_verdict.h), lost requests (no answer by their deadline,
// or the connection closed under them), and events that are not answers
// (connections made, resets, server closes expected). Also the latencies of
// the tiny jobs since the sampler last took them, and every answer's count
// for the sampler's answers per second and the fault injector's pacing.
//
// Thread-safe: every client thread records into one tally; the sampler and
// the fault injector read it.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "bench/soak_verdict.h"

namespace fibpool::bench {

struct KindCounts {
  std::uint64_t requests = 0;  // answered or lost
  std::uint64_t right = 0;
  std::uint64_t crashed = 0;  // ERR worker_crashed, allowed
  std::uint64_t busy = 0;     // ERR busy, allowed
  std::uint64_t wrong = 0;
  std::uint64_t lost = 0;
  std::map<std::string, std::uint64_t> events;
};

class SoakTally {
 public:
  static constexpr std::size_t kMaxProblems = 20;

  // One answer of a `kind` client to `request` (for the report when it is wrong).
  void Answer(const std::string& kind, Verdict verdict, std::string_view request,
              std::string_view got);
  // A request of a `kind` client without an answer: `why` (timeout, closed).
  void Lost(const std::string& kind, std::string_view request, std::string_view why);
  void Event(const std::string& kind, const std::string& event);
  void TinyLatency(double us);

  std::uint64_t answers() const { return answers_.load(std::memory_order_relaxed); }
  // The tiny latencies recorded since the last call.
  std::vector<double> TakeTinyLatencies();
  std::map<std::string, KindCounts> Counts() const;
  KindCounts Total() const;
  // The first kMaxProblems wrong or lost requests, described.
  std::vector<std::string> Problems() const;

 private:
  void Problem(std::string text);

  std::atomic<std::uint64_t> answers_{0};
  mutable std::mutex mutex_;
  std::map<std::string, KindCounts> counts_;
  std::vector<double> tiny_us_;
  std::vector<std::string> problems_;
};

}  // namespace fibpool::bench
