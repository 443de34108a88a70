#include "ipc/result_buffer.h"

namespace fibpool::ipc {

std::optional<SharedSegment> TakeResultBuffer(const std::string& name, std::uint64_t length,
                                              std::string* why) {
  if (name.rfind("fibpool.", 0) != 0 || name.find('/') != std::string::npos) {
    *why = "bad result buffer name";
    return std::nullopt;
  }
  auto segment = SharedSegment::TryOpen(name, SharedSegment::Access::kReadOnly, why);
  if (!segment) return std::nullopt;
  segment->Unlink();
  if (segment->size() < length) {
    *why = "result buffer shorter than announced";
    return std::nullopt;
  }
  return segment;
}

}  // namespace fibpool::ipc
