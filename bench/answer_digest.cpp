#include "bench/answer_digest.h"

#include <algorithm>

namespace fibpool::bench {

void DigestBuilder::Add(std::string_view bytes) {
  if (digest_.start.size() < AnswerDigest::kStartBytes) {
    digest_.start.append(bytes.substr(0, AnswerDigest::kStartBytes - digest_.start.size()));
  }
  std::uint64_t h = digest_.hash;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  digest_.hash = h;
  digest_.length += bytes.size();
}

AnswerDigest DigestOf(std::string_view answer) {
  DigestBuilder b;
  b.Add(answer);
  return b.digest();
}

}  // namespace fibpool::bench
