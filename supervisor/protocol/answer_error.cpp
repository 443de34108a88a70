#include "supervisor/protocol/answer_error.h"

namespace fibpool::supervisor {

std::string_view AnswerErrorName(AnswerError code) {
  switch (code) {
    case AnswerError::kBadRequest:
      return "bad_request";
    case AnswerError::kOutOfRange:
      return "out_of_range";
    case AnswerError::kLineTooLong:
      return "line_too_long";
    case AnswerError::kBusy:
      return "busy";
    case AnswerError::kTimeout:
      return "timeout";
    case AnswerError::kWorkerCrashed:
      return "worker_crashed";
    case AnswerError::kShuttingDown:
      return "shutting_down";
    case AnswerError::kInternal:
      return "internal";
  }
  return "internal";
}

std::string ErrorLine(AnswerError code, std::string_view detail) {
  std::string line = "ERR ";
  line += AnswerErrorName(code);
  line += ' ';
  for (char c : detail) {
    const auto u = static_cast<unsigned char>(c);
    line += (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  line += '\n';
  return line;
}

}  // namespace fibpool::supervisor
