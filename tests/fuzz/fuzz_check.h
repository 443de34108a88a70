// What the libFuzzer targets share: the way they fail an invariant and the
// check that a decoder's output does not depend on how its input is split
// into reads. Header-only.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <string_view>

namespace fibpool::fuzz {

// Aborts (which libFuzzer reports with the input) unless `condition` holds.
inline void Check(bool condition) {
  if (!condition) std::abort();
}

// `err` is one line (its only LF at its end) without other control bytes.
inline void CheckOneLine(std::string_view err) {
  Check(!err.empty() && err.find('\n') == err.size() - 1);
  for (std::size_t i = 0; i + 1 < err.size(); ++i) {
    const auto u = static_cast<unsigned char>(err[i]);
    Check(u >= 0x20 && u != 0x7f);
  }
}

// decode(bytes, read_size) with the whole input in one read, one byte a read
// and `odd`-byte reads: the three results must be equal. Returns the first.
template <class Decode>
auto SameForEverySplit(std::string_view bytes, std::size_t odd, Decode&& decode) {
  auto whole = decode(bytes, bytes.size() + 1);
  Check(decode(bytes, 1) == whole);
  Check(decode(bytes, odd) == whole);
  return whole;
}

}  // namespace fibpool::fuzz
