#include "supervisor/pool/worker_result.h"

#include <string>
#include <utility>

#include <spdlog/spdlog.h>

#include "ipc/ipc_error.h"
#include "ipc/result_buffer.h"
#include "ipc/segment_names.h"

namespace fibpool::supervisor {

JobResult ResultOf(ipc::ResultMessage&& message, pid_t supervisor, pid_t worker) {
  JobResult result;
  switch (message.status) {
    case ipc::ResultStatus::kOk:
      if (message.buffer_name.empty()) {
        result.payload.text = std::move(message.text);
      } else {
        auto buffer = ipc::TakeResultBuffer(
            message.buffer_name, ipc::ResultSegmentName(supervisor, message.job_id, worker),
            message.buffer_length);
        if (!buffer && buffer.error() == ipc::IpcError::kBadSegmentName) {
          spdlog::error("event=result_buffer_refused pid={} job={} name={:?}", worker,
                        message.job_id, message.buffer_name);
        }
        if (buffer) {
          result.payload.buffer = std::move(*buffer);
          result.payload.buffer_length = message.buffer_length;
        } else {
          result.error = AnswerError::kInternal;
          result.payload.text = "result buffer lost: " + buffer.error().message();
        }
      }
      break;
    case ipc::ResultStatus::kOutOfRange:
      result.error = AnswerError::kOutOfRange;
      result.payload.text = std::move(message.text);
      break;
    default:
      result.error = AnswerError::kInternal;
      result.payload.text = std::move(message.text);
      break;
  }
  return result;
}

}  // namespace fibpool::supervisor
