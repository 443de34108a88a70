// The run-time errors of fibpool's own shared-memory and worker protocols, as
// boost::system::error_code values in the "fibpool.ipc" category
// (make_error_code(IpcError::kBadMagic) or an IpcError compared with a code).
// Errors of the operating system are errno codes instead (os/posix_error.h).
#pragma once

#include <boost/system/error_code.hpp>
#include <type_traits>

namespace fibpool::ipc {

enum class IpcError {
  // 0 is success in every error category.
  kBadMagic = 1,        // the segment does not begin with a job queue's magic
  kVersionMismatch,     // the queue's layout version is not this build's
  kSizeMismatch,        // the segment is smaller than its queue says, or the queue is malformed
  kCorruptJob,          // a queue slot did not decode; that job was dropped
  kCorruptFrame,        // a frame or message on a result pipe did not decode
  kBadSegmentName,      // a result buffer's name is not the one its worker and job own
  kShortResultBuffer,   // a result buffer holds fewer bytes than announced
  kUnexpectedArgument,  // a worker command-line word that is not an --option
  kUnknownArgument,     // an --option the worker does not know
  kBadArgumentValue,    // an --option without a value, or with a malformed one
  kMissingArgument,     // a required --option is absent
};

const boost::system::error_category& IpcCategory();

inline boost::system::error_code make_error_code(IpcError e) {
  return {static_cast<int>(e), IpcCategory()};
}

}  // namespace fibpool::ipc

template <>
struct boost::system::is_error_code_enum<fibpool::ipc::IpcError> : std::true_type {};
