#include "ipc/ipc_error.h"

#include <string>

namespace fibpool::ipc {

namespace {

class Category : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "fibpool.ipc"; }
  std::string message(int code) const override {
    switch (static_cast<IpcError>(code)) {
      case IpcError::kBadMagic:
        return "not a fibpool job queue (bad magic)";
      case IpcError::kVersionMismatch:
        return "job queue layout version mismatch";
      case IpcError::kSizeMismatch:
        return "job queue size mismatch";
      case IpcError::kCorruptJob:
        return "corrupt job in the queue";
      case IpcError::kCorruptFrame:
        return "corrupt frame on the result pipe";
      case IpcError::kBadSegmentName:
        return "not the result buffer name of this worker and job";
      case IpcError::kShortResultBuffer:
        return "result buffer shorter than announced";
      case IpcError::kUnexpectedArgument:
        return "unexpected argument";
      case IpcError::kUnknownArgument:
        return "unknown option";
      case IpcError::kBadArgumentValue:
        return "bad or missing option value";
      case IpcError::kMissingArgument:
        return "missing required option";
    }
    return "unknown fibpool.ipc error " + std::to_string(code);
  }
};

}  // namespace

const boost::system::error_category& IpcCategory() {
  static const Category category;
  return category;
}

}  // namespace fibpool::ipc
