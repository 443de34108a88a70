// Opening a TCP listening socket for the supervisor's listeners: the one
// place that binds host:port with SO_REUSEADDR, and the one place that takes
// over a listening socket handed to fibpool (inherited_sockets.h).
#pragma once

#include <cstdint>
#include <string>

#include <boost/asio/ip/tcp.hpp>

#include "os/unique_fd.h"

namespace fibpool::supervisor {

// Opens `acceptor` on host:port (0 picks a port), listening; returns the port
// it is bound to. Throws boost::system::system_error (the caller names the
// listener in its message).
std::uint16_t ListenOn(boost::asio::ip::tcp::acceptor& acceptor, const std::string& host,
                       std::uint16_t port);

// "HOST:PORT", with an IPv6 address in brackets ("[::1]:25000"), for the
// ready line and the logs. Pure.
std::string AddressText(const std::string& host, std::uint16_t port);

// Opens `acceptor` on `inherited` when it holds a socket (a listening TCP
// socket, IPv4 or IPv6, or this fails with EINVAL / ENOTSOCK and closes it),
// else on host:port as ListenOn. Returns the port it listens on. Throws
// boost::system::system_error.
std::uint16_t ListenOrAdopt(boost::asio::ip::tcp::acceptor& acceptor, os::UniqueFd inherited,
                            const std::string& host, std::uint16_t port);

}  // namespace fibpool::supervisor
