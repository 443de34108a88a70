// Owner of one POSIX file descriptor, and the few fd helpers that retry EINTR.
//
// UniqueFd is move-only; a moved-from UniqueFd is empty (-1). The destructor
// closes the descriptor. Not thread-safe; an fd is owned by one thread at a time.
#pragma once

#include <cstddef>
#include <utility>

#include "os/posix_error.h"

namespace fibpool::os {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { Reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Gives up ownership without closing.
  int Release() { return std::exchange(fd_, -1); }
  void Reset(int fd = -1);

 private:
  int fd_ = -1;
};

// Failure behaviour of the helpers below: the errno of the call that failed,
// as an error code (os/posix_error.h); they never throw.

// Makes a pipe whose both ends have O_CLOEXEC set. Returns {read end, write end}.
boost::system::error_code MakePipe(UniqueFd* read_end, UniqueFd* write_end);

// Writes all `size` bytes, retrying EINTR and short writes. On failure returns
// the errno as an error code (EPIPE when the reader is gone; SIGPIPE must be
// ignored by the caller's process).
boost::system::error_code WriteAll(int fd, const void* data, std::size_t size);

// Sets or clears FD_CLOEXEC.
boost::system::error_code SetCloseOnExec(int fd, bool on);

}  // namespace fibpool::os
