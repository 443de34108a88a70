// SpareDescriptor against real sockets, with this process's own open-file
// limit lowered until accept() fails with EMFILE (and restored after).
#include "supervisor/net/spare_descriptor.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "os/unique_fd.h"

namespace fibpool::supervisor {
namespace {

constexpr std::string_view kLine = "ERR busy too many connections; try again later\n";

// A non-blocking listener on 127.0.0.1 and its port.
os::UniqueFd Listener(std::uint16_t* port) {
  os::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), len) != 0 || ::listen(fd.get(), 16) != 0 ||
      ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ADD_FAILURE() << "listener: " << std::strerror(errno);
  }
  *port = ntohs(a.sin_port);
  return fd;
}

os::UniqueFd Connect(std::uint16_t port) {
  os::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ADD_FAILURE() << "connect: " << std::strerror(errno);
  }
  return fd;
}

// Everything `fd` receives until EOF, waiting at most 5 s.
std::string ReadToEof(int fd) {
  std::string got;
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) return got + "<timeout>";
    char buf[256];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return got;
    got.append(buf, static_cast<std::size_t>(n));
  }
}

// Lowers the soft RLIMIT_NOFILE and fills every free descriptor with
// /dev/null until open() fails; restores both on destruction.
class DescriptorsExhausted {
 public:
  DescriptorsExhausted() {
    ::getrlimit(RLIMIT_NOFILE, &saved_);
    rlimit low = saved_;
    low.rlim_cur = 256;
    ::setrlimit(RLIMIT_NOFILE, &low);
    for (;;) {
      os::UniqueFd fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
      if (!fd.valid()) break;
      fill_.push_back(std::move(fd));
    }
  }
  ~DescriptorsExhausted() {
    fill_.clear();
    ::setrlimit(RLIMIT_NOFILE, &saved_);
  }

 private:
  rlimit saved_{};
  std::vector<os::UniqueFd> fill_;
};

TEST(SpareDescriptor, AConnectionThatFindsNoDescriptorGetsTheLineAndIsClosed) {
  std::uint16_t port = 0;
  const os::UniqueFd listener = Listener(&port);
  const os::UniqueFd client = Connect(port);
  SpareDescriptor spare;
  ASSERT_TRUE(spare.held());
  {
    const DescriptorsExhausted exhausted;
    ASSERT_LT(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC), 0);
    ASSERT_EQ(errno, EMFILE);
    EXPECT_EQ(spare.RefuseOne(listener.get(), kLine), SpareDescriptor::Refusal::kRefused);
    EXPECT_TRUE(spare.held());  // taken back
    EXPECT_EQ(spare.RefuseOne(listener.get(), kLine), SpareDescriptor::Refusal::kNonePending);
    EXPECT_TRUE(spare.held());
  }
  EXPECT_EQ(ReadToEof(client.get()), kLine);
}

TEST(SpareDescriptor, WithoutASpareTheConnectionStaysWaitingUntilOneIsTakenBack) {
  std::uint16_t port = 0;
  const os::UniqueFd listener = Listener(&port);
  const os::UniqueFd client = Connect(port);
  {
    const DescriptorsExhausted exhausted;
    SpareDescriptor spare;  // nothing left to open
    EXPECT_FALSE(spare.held());
    EXPECT_EQ(spare.RefuseOne(listener.get(), kLine), SpareDescriptor::Refusal::kNoSpare);
    EXPECT_FALSE(spare.Reopen());
  }
  SpareDescriptor spare;
  EXPECT_TRUE(spare.Reopen());
  EXPECT_EQ(spare.RefuseOne(listener.get(), kLine), SpareDescriptor::Refusal::kRefused);
  EXPECT_EQ(ReadToEof(client.get()), kLine);
}

}  // namespace
}  // namespace fibpool::supervisor
