// The flow a connection's jobs belong to for fair queuing (fair_queue.h):
// its client's address, so that every connection from one client is one
// flow. An IPv4 address seen as IPv4-mapped IPv6 (a server listening on
// "::") is the same flow as the plain IPv4 one.
#pragma once

#include <string>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace fibpool::supervisor {

// The address in its usual text form ("192.0.2.7", "2001:db8::1").
std::string FlowKeyOf(const boost::asio::ip::address& address);

// FlowKeyOf the socket's peer; "unknown" when the peer is gone already
// (its jobs then share one flow).
std::string FlowKeyOf(const boost::asio::ip::tcp::socket& socket);

}  // namespace fibpool::supervisor
