// Opening a TCP listening socket for the supervisor's side ports (metrics,
// agent check): the one place that binds host:port with SO_REUSEADDR.
#pragma once

#include <cstdint>
#include <string>

#include <boost/asio/ip/tcp.hpp>

namespace fibpool::supervisor {

// Opens `acceptor` on host:port (0 picks a port), listening; returns the port
// it is bound to. Throws boost::system::system_error (the caller names the
// listener in its message).
std::uint16_t ListenOn(boost::asio::ip::tcp::acceptor& acceptor, const std::string& host,
                       std::uint16_t port);

// "HOST:PORT", with an IPv6 address in brackets ("[::1]:25000"), for the
// ready line and the logs. Pure.
std::string AddressText(const std::string& host, std::uint16_t port);

}  // namespace fibpool::supervisor
