#include "supervisor/tcp_listen.h"

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

}  // namespace fibpool::supervisor
