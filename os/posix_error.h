// fibpool's one way to report a run-time error: a value of Result<T>
// (boost::system::result), holding either the T or a
// boost::system::error_code. An operating-system failure is errno in the
// system category, made here and nowhere else; fibpool's own conditions are
// ipc::IpcError codes (ipc/ipc_error.h). Both compare equal to the portable
// conditions they mean (std::errc::no_such_file_or_directory, ...).
//
// Context that a code cannot carry (which segment, which file) goes in the
// log line of the caller that knows it. Start-up code that cannot go on turns
// an error into an exception with Result::value() or
// boost::system::system_error; the serving path never throws.
#pragma once

#include <cerrno>

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

namespace fibpool::os {

template <class T>
using Result = boost::system::result<T, boost::system::error_code>;

// The error code of errno value `err` (as pthread functions return it).
inline boost::system::error_code PosixError(int err) {
  return {err, boost::system::system_category()};
}

// The error code of the current errno, read at once after the failed call.
inline boost::system::error_code ErrnoError() { return PosixError(errno); }

}  // namespace fibpool::os
