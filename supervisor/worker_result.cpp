#include "supervisor/worker_result.h"

#include <string>
#include <utility>

#include "ipc/result_buffer.h"

namespace fibpool::supervisor {

JobResult ResultOf(ipc::ResultMessage&& message) {
  JobResult result;
  switch (message.status) {
    case ipc::ResultStatus::kOk:
      if (message.buffer_name.empty()) {
        result.text = std::move(message.text);
      } else {
        auto buffer = ipc::TakeResultBuffer(message.buffer_name, message.buffer_length);
        if (buffer) {
          result.buffer = std::move(*buffer);
          result.buffer_length = message.buffer_length;
        } else {
          result.error = AnswerError::kInternal;
          result.text = "result buffer lost: " + buffer.error().message();
        }
      }
      break;
    case ipc::ResultStatus::kOutOfRange:
      result.error = AnswerError::kOutOfRange;
      result.text = std::move(message.text);
      break;
    default:
      result.error = AnswerError::kInternal;
      result.text = std::move(message.text);
      break;
  }
  return result;
}

}  // namespace fibpool::supervisor
