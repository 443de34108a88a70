// libFuzzer target: the first bytes of a connection with proxy_protocol on,
// as the supervisor reads them: ParseProxyHeader on everything read so far,
// read after read, until it decides (complete or invalid).
//
// Invariants checked (a violation aborts, which libFuzzer reports):
// - nothing crashes, leaks or trips ASan/UBSan;
// - the decision does not depend on how the bytes are split into reads (the
//   whole input at once vs. one byte at a time vs. 7-byte reads): once a
//   prefix decides, every longer input decides the same;
// - kNeedMore only below kMaxProxyHeaderBytes: the bytes held are bounded;
// - kComplete: 0 < length <= the bytes given, at most kMaxProxyHeaderBytes,
//   and the header's own bytes alone give the same result; one byte fewer
//   needs more;
// - kInvalid: a non-empty reason whose ERR line is one line without control
//   bytes.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "supervisor/protocol/answer_error.h"
#include "supervisor/protocol/proxy_header.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using fibpool::fuzz::Check;
using fibpool::supervisor::AnswerError;
using fibpool::supervisor::ErrorLine;
using fibpool::supervisor::kMaxProxyHeaderBytes;
using fibpool::supervisor::ParseProxyHeader;
using fibpool::supervisor::ProxyHeader;
using Status = ProxyHeader::Status;

struct Decision {
  Status status = Status::kNeedMore;
  std::size_t length = 0;
  std::optional<std::string> source;
  std::uint16_t source_port = 0;
  std::string error;
  bool operator==(const Decision&) const = default;
};

Decision Of(const ProxyHeader& h) {
  return {h.status, h.length, h.source ? std::optional(h.source->to_string()) : std::nullopt,
          h.source_port, h.error};
}

// Reads of `chunk` bytes, each appended to the earlier ones and parsed, as
// the connection does, until the parser decides.
Decision Read(std::string_view bytes, std::size_t chunk) {
  std::string held;
  Decision d;
  for (std::size_t at = 0; at < bytes.size(); at += chunk) {
    held.append(bytes.substr(at, chunk));
    d = Of(ParseProxyHeader(held));
    if (d.status != Status::kNeedMore) return d;
    Check(held.size() < kMaxProxyHeaderBytes);
  }
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const Decision whole = fibpool::fuzz::SameForEverySplit(bytes, 7, Read);
  switch (whole.status) {
    case Status::kNeedMore:
      Check(bytes.size() < kMaxProxyHeaderBytes);
      break;
    case Status::kComplete: {
      Check(whole.length > 0 && whole.length <= bytes.size());
      Check(whole.length <= kMaxProxyHeaderBytes);
      const std::string_view header = bytes.substr(0, whole.length);
      Check(Of(ParseProxyHeader(header)) == whole);
      Check(ParseProxyHeader(header.substr(0, header.size() - 1)).status == Status::kNeedMore);
      break;
    }
    case Status::kInvalid: {
      Check(!whole.error.empty());
      fibpool::fuzz::CheckOneLine(ErrorLine(AnswerError::kBadRequest, whole.error));
      break;
    }
  }
  return 0;
}
