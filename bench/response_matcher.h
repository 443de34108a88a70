// Checks one connection's response stream against the answers expected, in
// order, without buffering it: bytes are compared as they arrive (memcmp), so
// a 20 MB answer costs no copy and no allocation. Pure: no I/O.
//
// Usage: Expect(answer) before the first byte of each response, then Feed()
// bytes until it reports the response complete (its LF consumed). A response
// that differs is skipped up to its LF and reported wrong, with a short
// sample of what came instead. Not thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fibpool::bench {

class ResponseMatcher {
 public:
  static constexpr std::size_t kSampleBytes = 80;

  // `answer` is the expected line without its LF; it must stay valid until
  // the response completes.
  void Expect(std::string_view answer);
  bool expecting() const { return expecting_; }

  // Consumes a prefix of `bytes` and returns its length. When that prefix
  // ends the response, *complete is set and *correct tells whether it matched.
  std::size_t Feed(std::string_view bytes, bool* complete, bool* correct);

  // The start of the last wrong response (at most kSampleBytes).
  const std::string& wrong_sample() const { return sample_; }

 private:
  void StartSkipping(std::size_t matched);
  std::size_t Finish(std::size_t consumed, bool correct, bool* complete, bool* correct_out);

  std::string_view expected_;
  std::size_t matched_ = 0;  // bytes of expected_ seen so far
  bool expecting_ = false;
  bool skipping_ = false;  // mismatch seen: discard up to the LF
  std::string sample_;
};

}  // namespace fibpool::bench
