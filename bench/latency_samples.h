// Latency samples of one measurement and their percentiles.
//
// Every sample is kept (up to kMaxSamples; past that, samples are dropped and
// counted), so percentiles are exact rather than bucketed. A censored sample
// is a request that got no answer before the bench stopped waiting: its value
// is how long it had waited by then, a lower bound. A percentile that falls
// among censored samples is reported as a lower bound.
//
// Not thread-safe; one owner at a time. Never throws except std::bad_alloc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fibpool::bench {

class LatencySamples {
 public:
  static constexpr std::size_t kMaxSamples = 8'000'000;

  struct Percentile {
    double us = 0;             // microseconds
    bool lower_bound = false;  // falls among censored samples: the true value is higher
  };
  struct Summary {
    std::uint64_t count = 0;     // samples kept, censored included
    std::uint64_t censored = 0;  // of which: never answered
    std::uint64_t dropped = 0;   // over kMaxSamples
    Percentile p50, p90, p99, max;
    double min_us = 0;
    double mean_us = 0;  // of answered samples only
  };

  void Add(std::int64_t nanos);
  void AddCensored(std::int64_t nanos);
  void Merge(const LatencySamples& other);
  Summary Summarize() const;
  std::uint64_t count() const { return samples_.size(); }

 private:
  struct Sample {
    std::int64_t nanos;
    bool censored;
  };
  void Push(Sample sample);

  std::vector<Sample> samples_;
  std::uint64_t censored_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace fibpool::bench
