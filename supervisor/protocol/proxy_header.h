// The PROXY protocol header a load balancer (HAProxy's send-proxy and
// send-proxy-v2) puts at the start of a connection to tell the server who
// the client is (docs/protocol.md, "Behind a load balancer"). Pure: no I/O,
// no state. Bad bytes are a value (kInvalid with a reason), never an
// exception.
//
// Both versions of the protocol are read:
//   v1, text:   "PROXY TCP4 <src> <dst> <sport> <dport>\r\n" (TCP6 likewise;
//               "PROXY UNKNOWN ...\r\n"), at most kMaxProxyV1Bytes bytes.
//   v2, binary: the 12-byte signature "\r\n\r\n\0\r\nQUIT\n", a version and
//               command byte (0x20 LOCAL, 0x21 PROXY), a family and
//               transport byte, a 16-bit big-endian length, then that many
//               bytes: the addresses, then TLVs (skipped). The length is at
//               most kMaxProxyV2Length.
// The header's source address is the client's. LOCAL (a proxy's own
// connection, such as HAProxy's health checks), UNKNOWN and the v2 families
// UNSPEC and UNIX carry none: the connection's own peer is the client then.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/ip/address.hpp>

namespace fibpool::supervisor {

// The longest v1 header, CR LF included (the protocol's own limit).
inline constexpr std::size_t kMaxProxyV1Bytes = 107;
// The 16 fixed bytes of a v2 header.
inline constexpr std::size_t kProxyV2FixedBytes = 16;
// The largest v2 address block and TLVs accepted: the addresses take at
// most 216 bytes (UNIX); the rest leaves room for the TLVs a proxy adds
// (ALPN, authority, unique id, TLS details).
inline constexpr std::size_t kMaxProxyV2Length = 2048;
// The most bytes a header can take; a connection needs no more to decide.
inline constexpr std::size_t kMaxProxyHeaderBytes = kProxyV2FixedBytes + kMaxProxyV2Length;

struct ProxyHeader {
  enum class Status {
    kNeedMore,  // the bytes so far begin a header: read more
    kComplete,  // a header: `length` bytes, then the client's own bytes
    kInvalid,   // not a header (or a malformed one): `error` says why
  };
  Status status = Status::kNeedMore;
  // kComplete: the header's size in bytes; what follows is the client's.
  std::size_t length = 0;
  // kComplete: the client's address and port; none for LOCAL, UNKNOWN, UNSPEC
  // and UNIX (the connection's peer is the client).
  std::optional<boost::asio::ip::address> source;
  std::uint16_t source_port = 0;
  // kInvalid: why, for the ERR line and the log: "missing PROXY protocol
  // header" when the bytes cannot begin one, else "malformed PROXY protocol
  // header: <what is wrong>".
  std::string error;
};

// Reads the header at the start of `bytes`, the first bytes a connection
// received (all of them so far). kNeedMore never holds for more than
// kMaxProxyHeaderBytes bytes: a longer prefix is complete or invalid.
ProxyHeader ParseProxyHeader(std::string_view bytes);

}  // namespace fibpool::supervisor
