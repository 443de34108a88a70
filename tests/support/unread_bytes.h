// How much of what a test's TCP client sent over IPv4 loopback the server
// has not read yet: the receive queue of the server's end of the
// connection, as /proc/net/tcp reports it. A test waits for 0 to know the
// server has taken its bytes in. Header-only; reads /proc only.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace fibpool::testing {

// The bytes the peer of the connected socket `fd` has yet to read;
// std::nullopt when the connection is not (or no longer) in /proc/net/tcp.
inline std::optional<std::uint64_t> UnreadByPeer(int fd) {
  sockaddr_in mine{};
  sockaddr_in peer{};
  socklen_t length = sizeof mine;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&mine), &length) != 0) return std::nullopt;
  length = sizeof peer;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) return std::nullopt;
  // The peer's socket: its local address is our peer, its remote one is us.
  // /proc/net/tcp writes an address as the hex of its 32-bit value in host
  // order, then ':' and the port in hex.
  const auto hex = [](const sockaddr_in& a) {
    char text[16];
    std::snprintf(text, sizeof text, "%08X:%04X", a.sin_addr.s_addr, ntohs(a.sin_port));
    return std::string(text);
  };
  const std::string local = hex(peer);
  const std::string remote = hex(mine);
  std::ifstream table("/proc/net/tcp");
  std::string line;
  std::getline(table, line);  // the header
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, from, to, state, queues;
    fields >> slot >> from >> to >> state >> queues;  // queues: "tx_queue:rx_queue"
    if (from != local || to != remote) continue;
    const auto colon = queues.find(':');
    if (colon == std::string::npos) return std::nullopt;
    return std::stoull(queues.substr(colon + 1), nullptr, 16);
  }
  return std::nullopt;
}

}  // namespace fibpool::testing
