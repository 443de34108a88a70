#include "supervisor/net/spare_descriptor.h"

#include <fcntl.h>
#include <sys/socket.h>

#include <cerrno>

namespace fibpool::supervisor {

SpareDescriptor::SpareDescriptor() { Reopen(); }

bool SpareDescriptor::Reopen() {
  if (!spare_.valid()) spare_.Reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  return spare_.valid();
}

SpareDescriptor::Refusal SpareDescriptor::RefuseOne(int listener, std::string_view line) {
  if (!spare_.valid()) return Refusal::kNoSpare;
  spare_.Reset();
  int fd = -1;
  do {
    fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
  } while (fd < 0 && errno == EINTR);
  const int accept_errno = errno;
  if (fd >= 0) {
    const os::UniqueFd connection(fd);
    // Best effort: a fresh socket's send buffer takes one short line.
    [[maybe_unused]] const ssize_t sent =
        ::send(connection.get(), line.data(), line.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::shutdown(connection.get(), SHUT_RDWR);
  }
  Reopen();
  if (fd >= 0) return Refusal::kRefused;
  return accept_errno == EAGAIN || accept_errno == EWOULDBLOCK ? Refusal::kNonePending
                                                               : Refusal::kNoSpare;
}

}  // namespace fibpool::supervisor
