#include "ipc/result_buffer.h"

#include "ipc/ipc_error.h"

namespace fibpool::ipc {

os::Result<os::SharedSegment> TakeResultBuffer(const std::string& name,
                                               const std::string& expected,
                                               std::uint64_t length) {
  if (name != expected) return make_error_code(IpcError::kBadSegmentName);
  os::Result<os::SharedSegment> segment =
      os::SharedSegment::Open(name, os::SharedSegment::Access::kReadOnly);
  if (!segment) return segment;
  segment->Unlink();
  if (segment->size() < length) return make_error_code(IpcError::kShortResultBuffer);
  return segment;
}

}  // namespace fibpool::ipc
