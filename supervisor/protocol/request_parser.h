// Parses one request line of the line protocol (docs/protocol.md, "Requests").
// Pure: no I/O, no allocation beyond the returned detail text. A client's bad
// input is a value (Request::Kind::kInvalid with an error code), never an
// exception.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ipc/defaults.h"
#include "ipc/job.h"
#include "supervisor/protocol/answer_error.h"

namespace fibpool::supervisor {

struct ParserLimits {
  ipc::Algorithm default_algorithm = ipc::Algorithm::kFast;
  std::uint64_t max_fast_n = ipc::kDefaultMaxN;
  std::uint64_t max_recursive_n = ipc::kMaxRecursiveN;
};

struct Request {
  // kEmpty: a blank line (only spaces and tabs), which is ignored.
  // kHttp: an HTTP request line (`GET / HTTP/1.1`) sent to the line protocol.
  enum class Kind { kEmpty, kCompute, kPing, kStats, kHelp, kQuit, kInvalid, kHttp };
  Kind kind = Kind::kEmpty;
  // kCompute:
  std::uint64_t n = 0;
  ipc::Algorithm algorithm = ipc::Algorithm::kFast;
  // kInvalid and kHttp:
  AnswerError error = AnswerError::kBadRequest;
  std::string detail;
};

// `line` is one line without its LF; a trailing CR is dropped here.
Request ParseRequest(std::string_view line, const ParserLimits& limits);

// The one-line answer to `help`, without the LF.
std::string_view HelpText();

}  // namespace fibpool::supervisor
