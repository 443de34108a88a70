// PROXY protocol v2 headers as a load balancer sends them (the byte layout
// of supervisor/protocol/proxy_header.h), written independently of fibpool's parser
// for its tests. v1 headers are plain text and need no helper.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/ip/address.hpp>

namespace fibpool::testing {

inline constexpr std::string_view kProxyV2Signature{"\r\n\r\n\0\r\nQUIT\n", 12};
inline constexpr std::uint8_t kProxyV2Local = 0x20;  // version 2, LOCAL
inline constexpr std::uint8_t kProxyV2Proxy = 0x21;  // version 2, PROXY
inline constexpr std::uint8_t kProxyV2Unspec = 0x00;
inline constexpr std::uint8_t kProxyV2Tcp4 = 0x11;
inline constexpr std::uint8_t kProxyV2Tcp6 = 0x21;

inline std::string BigEndian16(std::size_t value) {
  return {static_cast<char>((value >> 8) & 0xff), static_cast<char>(value & 0xff)};
}

// A v2 header: signature, `version_command`, `family_transport`, the length
// of `body` and `body` (addresses, then TLVs).
inline std::string ProxyV2(std::uint8_t version_command, std::uint8_t family_transport,
                           std::string_view body) {
  std::string out(kProxyV2Signature);
  out.push_back(static_cast<char>(version_command));
  out.push_back(static_cast<char>(family_transport));
  out += BigEndian16(body.size());
  out += body;
  return out;
}

// One TLV: type, 16-bit length, value.
inline std::string ProxyV2Tlv(std::uint8_t type, std::string_view value) {
  return std::string(1, static_cast<char>(type)) + BigEndian16(value.size()) + std::string(value);
}

// A PROXY command for a TCP connection from source:source_port to
// destination:destination_port (both IPv4 or both IPv6), then `tlvs`.
inline std::string ProxyV2Tcp(const std::string& source, std::uint16_t source_port,
                              const std::string& destination, std::uint16_t destination_port,
                              std::string_view tlvs = {}) {
  const auto src = boost::asio::ip::make_address(source);
  const auto dst = boost::asio::ip::make_address(destination);
  std::string body;
  const auto append = [&body](const auto& bytes) {
    body.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  };
  if (src.is_v4()) {
    append(src.to_v4().to_bytes());
    append(dst.to_v4().to_bytes());
  } else {
    append(src.to_v6().to_bytes());
    append(dst.to_v6().to_bytes());
  }
  body += BigEndian16(source_port) + BigEndian16(destination_port);
  body += tlvs;
  return ProxyV2(kProxyV2Proxy, src.is_v4() ? kProxyV2Tcp4 : kProxyV2Tcp6, body);
}

// The LOCAL command HAProxy sends on its own health checks: no addresses.
inline std::string ProxyV2Local() { return ProxyV2(kProxyV2Local, kProxyV2Unspec, {}); }

}  // namespace fibpool::testing
