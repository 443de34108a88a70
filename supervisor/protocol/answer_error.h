// The errors an answer reports to a client: the codes of the line protocol's
// `ERR <code> <detail>` lines (docs/protocol.md, "Errors"), and the line
// itself. Not to be confused with boost::system::error_code, which reports
// the operating system's and the IPC layer's errors (os/posix_error.h).
#pragma once

#include <string>
#include <string_view>

namespace fibpool::supervisor {

enum class AnswerError {
  kBadRequest,
  kOutOfRange,
  kLineTooLong,
  kBusy,
  kTimeout,
  kWorkerCrashed,
  kShuttingDown,
  kInternal,
};
inline constexpr int kAnswerErrorCount = 8;

std::string_view AnswerErrorName(AnswerError code);

// "ERR <code> <detail>\n"; control bytes in the detail become '?'.
std::string ErrorLine(AnswerError code, std::string_view detail);

}  // namespace fibpool::supervisor
