#include "supervisor/error_code.h"

namespace fibpool::supervisor {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest:
      return "bad_request";
    case ErrorCode::kOutOfRange:
      return "out_of_range";
    case ErrorCode::kLineTooLong:
      return "line_too_long";
    case ErrorCode::kBusy:
      return "busy";
    case ErrorCode::kTimeout:
      return "timeout";
    case ErrorCode::kWorkerCrashed:
      return "worker_crashed";
    case ErrorCode::kShuttingDown:
      return "shutting_down";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

std::string ErrorLine(ErrorCode code, std::string_view detail) {
  std::string line = "ERR ";
  line += ErrorCodeName(code);
  line += ' ';
  for (char c : detail) {
    const auto u = static_cast<unsigned char>(c);
    line += (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  line += '\n';
  return line;
}

}  // namespace fibpool::supervisor
