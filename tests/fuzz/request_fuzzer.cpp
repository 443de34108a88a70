// libFuzzer target: a client's bytes as the supervisor sees them.
// bytes -> LineBuffer (max_line 1024) -> ParseRequest per line -> ErrorLine.
//
// Invariants checked (a violation aborts, which libFuzzer reports):
// - nothing crashes, leaks or trips ASan/UBSan;
// - the line sequence does not depend on how the bytes are split into reads
//   (the whole input at once vs. one byte at a time vs. 7-byte reads);
// - a line never holds a LF and is at most max_line bytes (plus one CR);
//   kTooLong is final; the buffer never holds more than max_line + CR + one read;
// - kInvalid always has a non-empty detail; kCompute's N is within the limit
//   of its algorithm;
// - an ERR line starts "ERR <code> ", has exactly one LF, at its end, and no
//   other control byte.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "supervisor/protocol/answer_error.h"
#include "supervisor/protocol/line_buffer.h"
#include "supervisor/protocol/request_parser.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using fibpool::supervisor::AnswerErrorName;
using fibpool::supervisor::ErrorLine;
using fibpool::supervisor::LineBuffer;
using fibpool::supervisor::ParseRequest;
using fibpool::supervisor::ParserLimits;
using fibpool::supervisor::Request;

constexpr std::size_t kMaxLine = 1024;

using fibpool::fuzz::Check;

void CheckRequest(std::string_view line, const ParserLimits& limits) {
  const Request r = ParseRequest(line, limits);
  switch (r.kind) {
    case Request::Kind::kInvalid:
    case Request::Kind::kHttp: {
      Check(!r.detail.empty());
      const std::string err = ErrorLine(r.error, r.detail);
      const std::string prefix = "ERR " + std::string(AnswerErrorName(r.error)) + " ";
      Check(err.starts_with(prefix));
      Check(err.size() > prefix.size() + 1);  // the detail is not lost
      fibpool::fuzz::CheckOneLine(err);
      break;
    }
    case Request::Kind::kCompute:
      if (r.algorithm == fibpool::ipc::Algorithm::kFast) {
        Check(r.n <= limits.max_fast_n);
      } else {
        Check(r.algorithm == fibpool::ipc::Algorithm::kRecursive);
        Check(r.n <= limits.max_recursive_n);
      }
      break;
    case Request::Kind::kEmpty:
    case Request::Kind::kPing:
    case Request::Kind::kStats:
    case Request::Kind::kHelp:
    case Request::Kind::kQuit:
      break;
  }
}

struct Split {
  std::vector<std::string> lines;
  bool too_long = false;
  bool operator==(const Split&) const = default;
};

// Feeds `bytes` to a LineBuffer in reads of `chunk` bytes, then the LF the
// connection appends at EOF, and collects the lines as the connection would.
Split Lines(std::string_view bytes, std::size_t chunk) {
  LineBuffer buffer(kMaxLine);
  Split out;
  const auto drain = [&] {
    std::string_view line;
    for (;;) {
      const auto status = buffer.Next(&line);
      if (status == LineBuffer::Status::kNeedMore) return;
      if (status == LineBuffer::Status::kTooLong) {
        out.too_long = true;
        Check(buffer.Next(&line) == LineBuffer::Status::kTooLong);  // final
        return;
      }
      Check(line.find('\n') == std::string_view::npos);
      Check(line.size() <= kMaxLine + (line.ends_with('\r') ? 1 : 0));
      out.lines.emplace_back(line);
    }
  };
  for (std::size_t at = 0; at < bytes.size() && !out.too_long; at += chunk) {
    const std::string_view read = bytes.substr(at, chunk);
    buffer.Append(read);
    // What was left is at most one partial line (max_line + a CR).
    Check(buffer.buffered() <= kMaxLine + 1 + read.size());
    drain();
  }
  if (!out.too_long) {
    buffer.Append("\n");
    drain();
    Check(out.too_long || buffer.buffered() == 0);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  const Split whole = fibpool::fuzz::SameForEverySplit(bytes, 7, Lines);

  ParserLimits defaults;
  ParserLimits extreme;
  extreme.default_algorithm = fibpool::ipc::Algorithm::kRecursive;
  extreme.max_fast_n = UINT64_MAX;
  extreme.max_recursive_n = 0;
  for (const std::string& line : whole.lines) {
    CheckRequest(line, defaults);
    CheckRequest(line, extreme);
  }
  // The parser on raw bytes too (a line the buffer would never produce).
  CheckRequest(bytes, defaults);
  return 0;
}
