#include "bench/minimal_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "worker/fibonacci.h"

namespace fibpool::bench {

namespace {

constexpr std::size_t kMaxLineBytes = 1024;
constexpr std::size_t kReadBytes = 64 * 1024;
constexpr std::string_view kBadRequest = "ERR bad_request\n";

[[noreturn]] void ThrowErrno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// F(n) by n additions (n <= 93; F(n+1) may wrap, unused).
std::uint64_t FibByAddition(std::uint64_t n) {
  std::uint64_t a = 0;
  std::uint64_t b = 1;
  for (; n > 0; --n) {
    const std::uint64_t next = a + b;
    a = b;
    b = next;
  }
  return a;
}

struct MinimalConnection {
  std::string in;           // bytes read after the last LF
  std::string out;          // answers not yet written
  std::size_t written = 0;  // bytes of `out` already sent
  bool sent_newline = false;
};

// Sends what `c` has not written yet; false on a write error.
bool Flush(int fd, MinimalConnection& c) {
  while (c.written < c.out.size()) {
    const ssize_t n =
        ::send(fd, c.out.data() + c.written, c.out.size() - c.written, MSG_NOSIGNAL);
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    c.written += static_cast<std::size_t>(n);
  }
  c.out.clear();
  c.written = 0;
  return true;
}

bool Watch(int epoll, int op, int fd, std::uint32_t events) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  return ::epoll_ctl(epoll, op, fd, &ev) == 0;
}

}  // namespace

void AppendAnswer(std::string_view line, std::string* out) {
  if (line.ends_with('\r')) line.remove_suffix(1);
  std::uint64_t n = 0;
  const char* const end = line.data() + line.size();
  const auto [rest_start, ec] = std::from_chars(line.data(), end, n);
  const std::string_view rest(rest_start, static_cast<std::size_t>(end - rest_start));
  const bool recursive = rest == " recursive";
  if (ec != std::errc() || n > worker::kMaxRecursiveN ||
      !(rest.empty() || rest == " fast" || recursive)) {
    out->append(kBadRequest);
    return;
  }
  char digits[24];
  const auto written = std::to_chars(digits, digits + sizeof digits,
                                     recursive ? worker::FibRecursive(n) : FibByAddition(n));
  out->append(digits, written.ptr);
  out->push_back('\n');
}

MinimalServer::MinimalServer(const std::string& host, std::uint16_t port, unsigned loops,
                             bool read_per_request)
    : stop_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      port_(port),
      read_per_request_(read_per_request) {
  if (!stop_.valid()) ThrowErrno("eventfd");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  if (::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
    throw std::invalid_argument("not an IPv4 address: " + host);
  }
  for (unsigned i = 0; i < loops; ++i) {
    Loop loop{os::UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)),
              os::UniqueFd(::epoll_create1(EPOLL_CLOEXEC))};
    if (!loop.listener.valid()) ThrowErrno("socket");
    if (!loop.epoll.valid()) ThrowErrno("epoll_create1");
    const int on = 1;
    ::setsockopt(loop.listener.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (::setsockopt(loop.listener.get(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0)
      ThrowErrno("SO_REUSEPORT");
    address.sin_port = htons(port_);  // after the first: the port it got
    if (::bind(loop.listener.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address))
      ThrowErrno("bind");
    if (::listen(loop.listener.get(), SOMAXCONN) != 0) ThrowErrno("listen");
    socklen_t size = sizeof address;
    if (::getsockname(loop.listener.get(), reinterpret_cast<sockaddr*>(&address), &size) != 0)
      ThrowErrno("getsockname");
    port_ = ntohs(address.sin_port);
    if (!Watch(loop.epoll.get(), EPOLL_CTL_ADD, loop.listener.get(), EPOLLIN) ||
        !Watch(loop.epoll.get(), EPOLL_CTL_ADD, stop_.get(), EPOLLIN))
      ThrowErrno("epoll_ctl");
    loops_.push_back(std::move(loop));
  }
}

MinimalServer::~MinimalServer() = default;

void MinimalServer::Run() {
  std::vector<std::jthread> threads;
  threads.reserve(loops_.size());
  for (const Loop& loop : loops_) threads.emplace_back([this, &loop] { Serve(loop); });
}

void MinimalServer::Stop() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(stop_.get(), &one, sizeof one);
}

void MinimalServer::Serve(const Loop& loop) const {
  const int epoll = loop.epoll.get();
  std::unordered_map<int, MinimalConnection> connections;
  const auto close = [&connections](int fd) {
    ::close(fd);  // also leaves the epoll set
    connections.erase(fd);
  };
  std::vector<char> chunk(kReadBytes);
  epoll_event events[64];
  for (;;) {
    const int ready = ::epoll_wait(epoll, events, std::size(events), -1);
    if (ready < 0 && errno != EINTR) break;
    for (int i = 0; i < ready; ++i) {
      const int fd = events[i].data.fd;
      if (fd == stop_.get()) {
        for (const auto& entry : connections) ::close(entry.first);
        return;
      }
      if (fd == loop.listener.get()) {
        for (int c; (c = ::accept4(fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0;) {
          const int on = 1;
          ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
          if (Watch(epoll, EPOLL_CTL_ADD, c, EPOLLIN)) connections.emplace(c, MinimalConnection{});
          else ::close(c);
        }
        continue;
      }
      const auto it = connections.find(fd);
      if (it == connections.end()) continue;
      MinimalConnection& c = it->second;
      if (!c.out.empty()) {  // waiting for EPOLLOUT (or an error): write the rest
        if (!Flush(fd, c)) close(fd);
        else if (c.out.empty()) Watch(epoll, EPOLL_CTL_MOD, fd, EPOLLIN);
        continue;
      }
      const ssize_t got = ::read(fd, chunk.data(), chunk.size());
      if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (got <= 0) {
        close(fd);
        continue;
      }
      c.in.append(chunk.data(), static_cast<std::size_t>(got));
      if (read_per_request_ && !c.sent_newline) {
        // c.in holds this read only: every earlier one was answered whole.
        c.sent_newline = c.in.find('\n') != std::string::npos;
        if (!c.sent_newline) {
          AppendAnswer(c.in, &c.out);
          c.in.clear();
        }
      }
      std::size_t start = 0;
      for (std::size_t lf; (lf = c.in.find('\n', start)) != std::string::npos; start = lf + 1) {
        AppendAnswer(std::string_view(c.in).substr(start, lf - start), &c.out);
      }
      c.in.erase(0, start);
      const bool too_long = c.in.size() > kMaxLineBytes;
      if (too_long) c.out.append(kBadRequest);
      if (!Flush(fd, c) || too_long) close(fd);
      else if (!c.out.empty()) Watch(epoll, EPOLL_CTL_MOD, fd, EPOLLOUT);
    }
  }
}

}  // namespace fibpool::bench
