// The protocol's error codes (docs/protocol.md, "Errors") and the ERR line.
#pragma once

#include <string>
#include <string_view>

namespace fibpool::supervisor {

enum class ErrorCode {
  kBadRequest,
  kOutOfRange,
  kLineTooLong,
  kBusy,
  kTimeout,
  kWorkerCrashed,
  kShuttingDown,
  kInternal,
};
inline constexpr int kErrorCodeCount = 8;

std::string_view ErrorCodeName(ErrorCode code);

// "ERR <code> <detail>\n"; control bytes in the detail become '?'.
std::string ErrorLine(ErrorCode code, std::string_view detail);

}  // namespace fibpool::supervisor
