// A fingerprint of a big answer (millions of digits), so that the soak can
// check F(10^7) and F(10^8) as they stream in without keeping them: the
// length, a 64-bit FNV-1a hash of every byte, and the first bytes (all of
// an `ERR ...` line, which is shorter). Pure; no I/O.
//
// Usage: Add() the bytes of one answer line (without its LF) in any chunks,
// then digest(); the result is the same however the bytes were split.
// Not thread-safe; cheap to copy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fibpool::bench {

struct AnswerDigest {
  static constexpr std::size_t kStartBytes = 256;

  std::uint64_t length = 0;
  std::uint64_t hash = 0;  // FNV-1a, 64 bits
  std::string start;       // the first kStartBytes bytes (all of a shorter answer)

  bool operator==(const AnswerDigest&) const = default;
};

class DigestBuilder {
 public:
  void Add(std::string_view bytes);
  const AnswerDigest& digest() const { return digest_; }

 private:
  AnswerDigest digest_{0, 14695981039346656037ULL, {}};
};

// The digest of a whole answer at once.
AnswerDigest DigestOf(std::string_view answer);

}  // namespace fibpool::bench
