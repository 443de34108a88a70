#include "bench/response_matcher.h"

#include <algorithm>
#include <cstring>

namespace fibpool::bench {

void ResponseMatcher::Expect(std::string_view answer) {
  expected_ = answer;
  matched_ = 0;
  expecting_ = true;
  skipping_ = false;
}

void ResponseMatcher::StartSkipping(std::size_t matched) {
  skipping_ = true;
  // What came instead begins with the part that did match.
  sample_.assign(expected_.substr(0, std::min(matched, kSampleBytes)));
}

std::size_t ResponseMatcher::Finish(std::size_t consumed, bool correct, bool* complete,
                                    bool* correct_out) {
  *complete = true;
  *correct_out = correct;
  expecting_ = false;
  skipping_ = false;
  return consumed;
}

std::size_t ResponseMatcher::Feed(std::string_view bytes, bool* complete, bool* correct) {
  *complete = false;
  *correct = false;
  std::size_t i = 0;
  if (!skipping_) {
    const std::size_t n = std::min(expected_.size() - matched_, bytes.size());
    if (std::memcmp(bytes.data(), expected_.data() + matched_, n) == 0) {
      matched_ += n;
      i = n;
      if (i == bytes.size()) return i;  // need more
      // All digits matched: the next byte must be the LF.
      if (bytes[i] == '\n') return Finish(i + 1, true, complete, correct);
      StartSkipping(matched_);
    } else {
      const auto diff = std::mismatch(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n),
                                      expected_.begin() + static_cast<std::ptrdiff_t>(matched_));
      i = static_cast<std::size_t>(diff.first - bytes.begin());
      StartSkipping(matched_ + i);
    }
  }
  const std::size_t lf = bytes.find('\n', i);
  const std::size_t end = lf == std::string_view::npos ? bytes.size() : lf;
  if (sample_.size() < kSampleBytes) {
    sample_.append(bytes.substr(i, std::min(end - i, kSampleBytes - sample_.size())));
  }
  if (lf == std::string_view::npos) return bytes.size();
  return Finish(lf + 1, false, complete, correct);
}

}  // namespace fibpool::bench
