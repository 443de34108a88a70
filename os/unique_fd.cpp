#include "os/unique_fd.h"

#include <fcntl.h>
#include <unistd.h>
#include <cerrno>

namespace fibpool::os {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) Reset(other.Release());
  return *this;
}

void UniqueFd::Reset(int fd) {
  // close() must not be retried on EINTR on Linux: the fd is gone either way.
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

boost::system::error_code MakePipe(UniqueFd* read_end, UniqueFd* write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return ErrnoError();
  read_end->Reset(fds[0]);
  write_end->Reset(fds[1]);
  return {};
}

boost::system::error_code WriteAll(int fd, const void* data, std::size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError();
    }
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return {};
}

boost::system::error_code SetCloseOnExec(int fd, bool on) {
  int flags = ::fcntl(fd, F_GETFD);
  if (flags < 0) return ErrnoError();
  flags = on ? (flags | FD_CLOEXEC) : (flags & ~FD_CLOEXEC);
  if (::fcntl(fd, F_SETFD, flags) != 0) return ErrnoError();
  return {};
}

}  // namespace fibpool::os
