#include "bench/soak_socket.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "bench/clock.h"

namespace fibpool::bench {

namespace {

// Waits until `fd` is ready for `events` or the deadline passes.
IoStatus WaitReady(int fd, short events, std::int64_t deadline_ns) {
  for (;;) {
    const std::int64_t left_ms = (deadline_ns - NowNanos() + 999'999) / 1'000'000;
    if (left_ms <= 0) return IoStatus::kTimeout;
    pollfd p{fd, events, 0};
    const int r = ::poll(&p, 1, static_cast<int>(std::min<std::int64_t>(left_ms, 1'000'000)));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return IoStatus::kError;
    if (r > 0) return IoStatus::kOk;
  }
}

}  // namespace

IoStatus SoakSocket::Connect(const boost::asio::ip::tcp::endpoint& endpoint) {
  buffer_.clear();
  fd_.Reset(::socket(endpoint.protocol().family(), SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd_.valid()) return IoStatus::kError;
  if (::connect(fd_.get(), endpoint.data(), static_cast<socklen_t>(endpoint.size())) != 0) {
    fd_.Reset();
    return IoStatus::kError;
  }
  const int one = 1;
  ::setsockopt(fd_.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return IoStatus::kOk;
}

IoStatus SoakSocket::Send(std::string_view bytes, std::int64_t deadline_ns) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (const IoStatus s = WaitReady(fd_.get(), POLLOUT, deadline_ns); s != IoStatus::kOk)
        return s;
      continue;
    }
    return errno == EPIPE || errno == ECONNRESET ? IoStatus::kClosed : IoStatus::kError;
  }
  return IoStatus::kOk;
}

IoStatus SoakSocket::Fill(std::int64_t deadline_ns, std::size_t max) {
  char chunk[kReadChunk];
  for (;;) {
    const ssize_t n = ::recv(fd_.get(), chunk, std::min(max, sizeof chunk), MSG_DONTWAIT);
    if (n > 0) {
      buffer_.append(chunk, static_cast<std::size_t>(n));
      return IoStatus::kOk;
    }
    if (n == 0) return IoStatus::kClosed;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (const IoStatus s = WaitReady(fd_.get(), POLLIN, deadline_ns); s != IoStatus::kOk)
        return s;
      continue;
    }
    return errno == ECONNRESET ? IoStatus::kClosed : IoStatus::kError;
  }
}

IoStatus SoakSocket::ReadLine(std::string* line, std::int64_t deadline_ns, std::size_t max_bytes) {
  line->clear();
  for (;;) {
    const auto lf = buffer_.find('\n');
    const std::size_t take = lf == std::string::npos ? buffer_.size() : lf;
    if (line->size() < max_bytes) {
      line->append(buffer_, 0, std::min(take, max_bytes - line->size()));
    }
    buffer_.erase(0, lf == std::string::npos ? take : lf + 1);
    if (lf != std::string::npos) return IoStatus::kOk;
    if (const IoStatus s = Fill(deadline_ns); s != IoStatus::kOk) return s;
  }
}

IoStatus SoakSocket::ReadSome(char* out, std::size_t size, std::size_t* got,
                              std::int64_t deadline_ns) {
  *got = 0;
  if (buffer_.empty()) {
    if (const IoStatus s = Fill(deadline_ns, size); s != IoStatus::kOk) return s;
  }
  *got = std::min(size, buffer_.size());
  std::memcpy(out, buffer_.data(), *got);
  buffer_.erase(0, *got);
  return IoStatus::kOk;
}

IoStatus SoakSocket::WaitClosed(std::int64_t deadline_ns) {
  for (;;) {
    buffer_.clear();
    const IoStatus s = Fill(deadline_ns);
    if (s == IoStatus::kClosed) return IoStatus::kOk;
    if (s != IoStatus::kOk) return s;
  }
}

void SoakSocket::Close() {
  fd_.Reset();
  buffer_.clear();
}

void SoakSocket::Reset() {
  if (fd_.valid()) {
    const linger l{1, 0};
    ::setsockopt(fd_.get(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
  }
  Close();
}

}  // namespace fibpool::bench
