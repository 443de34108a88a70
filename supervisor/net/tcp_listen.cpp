#include "supervisor/net/tcp_listen.h"

#include <sys/socket.h>

#include <boost/system/system_error.hpp>

#include "os/posix_error.h"

namespace fibpool::supervisor {

namespace asio = boost::asio;

std::uint16_t ListenOn(asio::ip::tcp::acceptor& acceptor, const std::string& host,
                       std::uint16_t port) {
  const asio::ip::tcp::endpoint endpoint(asio::ip::make_address(host), port);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::ip::tcp::acceptor::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen();
  return acceptor.local_endpoint().port();
}

std::string AddressText(const std::string& host, std::uint16_t port) {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::uint16_t ListenOrAdopt(asio::ip::tcp::acceptor& acceptor, os::UniqueFd inherited,
                            const std::string& host, std::uint16_t port) {
  if (!inherited.valid()) return ListenOn(acceptor, host, port);
  const int fd = inherited.get();
  int type = 0, listening = 0;
  socklen_t size = sizeof type;
  if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &size) != 0) {
    throw boost::system::system_error(os::ErrnoError(), "getsockopt");
  }
  size = sizeof listening;
  ::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size);
  sockaddr_storage address{};
  socklen_t address_size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &address_size);
  if (type != SOCK_STREAM || listening == 0 ||
      (address.ss_family != AF_INET && address.ss_family != AF_INET6)) {
    throw boost::system::system_error(os::PosixError(EINVAL),
                                      "the socket handed over is not a listening TCP socket");
  }
  acceptor.assign(address.ss_family == AF_INET ? asio::ip::tcp::v4() : asio::ip::tcp::v6(),
                  inherited.Release());
  return acceptor.local_endpoint().port();
}

}  // namespace fibpool::supervisor
