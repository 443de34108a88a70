#include "supervisor/protocol/proxy_header.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>

#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/address_v6.hpp>

namespace fibpool::supervisor {

namespace {

namespace ip = boost::asio::ip;
using Status = ProxyHeader::Status;

constexpr std::string_view kV1Prefix = "PROXY ";
constexpr std::string_view kV2Signature{"\r\n\r\n\0\r\nQUIT\n", 12};

// v2 byte 13: the version (high nibble) and the command (low nibble).
constexpr std::uint8_t kV2Version = 0x2;
constexpr std::uint8_t kV2Local = 0x0;
constexpr std::uint8_t kV2Proxy = 0x1;
// v2 byte 14: the address family (high nibble) and transport (low nibble).
constexpr std::uint8_t kFamilyUnspec = 0x0;
constexpr std::uint8_t kFamilyInet = 0x1;
constexpr std::uint8_t kFamilyInet6 = 0x2;
constexpr std::uint8_t kFamilyUnix = 0x3;
constexpr std::uint8_t kTransportDgram = 0x2;
// The address block of INET and INET6: source, destination, both ports.
constexpr std::size_t kInetBlock = 4 + 4 + 2 + 2;
constexpr std::size_t kInet6Block = 16 + 16 + 2 + 2;

ProxyHeader Invalid(std::string why) {
  ProxyHeader h;
  h.status = Status::kInvalid;
  h.error = std::move(why);
  return h;
}

ProxyHeader Complete(std::size_t length) {
  ProxyHeader h;
  h.status = Status::kComplete;
  h.length = length;
  return h;
}

// Whether `bytes` and `expected` agree on their common prefix.
bool AgreesWith(std::string_view bytes, std::string_view expected) {
  const std::size_t n = std::min(bytes.size(), expected.size());
  return bytes.substr(0, n) == expected.substr(0, n);
}

std::uint8_t Byte(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint8_t>(bytes[at]);
}

std::uint16_t BigEndian16(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint16_t>(Byte(bytes, at) << 8 | Byte(bytes, at + 1));
}

// A v1 port: 1 to 5 decimal digits, at most 65535.
std::optional<std::uint16_t> V1Port(std::string_view text) {
  unsigned value = 0;
  if (text.empty() || text.size() > 5) return std::nullopt;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

// A v1 address of the family `tcp6` says; IPv4 in dotted form for TCP4.
std::optional<ip::address> V1Address(std::string_view text, bool tcp6) {
  boost::system::error_code ec;
  const std::string s(text);
  if (tcp6) {
    const ip::address_v6 a = ip::make_address_v6(s, ec);
    if (ec || a.scope_id() != 0) return std::nullopt;
    return ip::address(a);
  }
  const ip::address_v4 a = ip::make_address_v4(s, ec);
  if (ec) return std::nullopt;
  return ip::address(a);
}

// "PROXY <rest>\r\n": `line` is the part between "PROXY " and CR LF.
ProxyHeader ParseV1Line(std::string_view line, std::size_t length) {
  if (line == "UNKNOWN" || line.starts_with("UNKNOWN ")) return Complete(length);
  std::array<std::string_view, 5> field;
  std::size_t count = 0;
  while (count < field.size()) {
    const std::size_t space = line.find(' ');
    field[count++] = line.substr(0, space);
    if (space == std::string_view::npos) {
      line = {};
      break;
    }
    line.remove_prefix(space + 1);
  }
  if (count != field.size() || !line.empty()) {
    return Invalid("v1 needs TCP4 or TCP6, two addresses and two ports");
  }
  if (field[0] != "TCP4" && field[0] != "TCP6") {
    return Invalid("v1 protocol must be TCP4, TCP6 or UNKNOWN");
  }
  const bool tcp6 = field[0] == "TCP6";
  const auto source = V1Address(field[1], tcp6);
  const auto destination = V1Address(field[2], tcp6);
  if (!source || !destination) {
    return Invalid(std::string("v1 addresses must be ") + (tcp6 ? "IPv6" : "IPv4"));
  }
  const auto source_port = V1Port(field[3]);
  if (!source_port || !V1Port(field[4])) {
    return Invalid("v1 ports must be 0 to 65535");
  }
  ProxyHeader h = Complete(length);
  h.source = *source;
  h.source_port = *source_port;
  return h;
}

ProxyHeader ParseV1(std::string_view bytes) {
  const std::string_view head = bytes.substr(0, kMaxProxyV1Bytes);
  const std::size_t lf = head.find('\n');
  if (lf == std::string_view::npos) {
    if (bytes.size() >= kMaxProxyV1Bytes) {
      return Invalid("v1 must end with CR LF within " + std::to_string(kMaxProxyV1Bytes) +
                     " bytes");
    }
    return ProxyHeader{};
  }
  if (lf == 0 || head[lf - 1] != '\r') return Invalid("v1 must end with CR LF");
  return ParseV1Line(head.substr(kV1Prefix.size(), lf - 1 - kV1Prefix.size()), lf + 1);
}

// The client in a v2 address block of `family` (INET or INET6).
void ReadV2Source(std::string_view block, std::uint8_t family, ProxyHeader* h) {
  if (family == kFamilyInet) {
    ip::address_v4::bytes_type a;
    std::copy_n(block.data(), a.size(), reinterpret_cast<char*>(a.data()));
    h->source = ip::address_v4(a);
    h->source_port = BigEndian16(block, 8);
    return;
  }
  ip::address_v6::bytes_type a;
  std::copy_n(block.data(), a.size(), reinterpret_cast<char*>(a.data()));
  h->source = ip::address_v6(a);
  h->source_port = BigEndian16(block, 32);
}

ProxyHeader ParseV2(std::string_view bytes) {
  if (bytes.size() < kProxyV2FixedBytes) return ProxyHeader{};
  const std::uint8_t version = Byte(bytes, 12) >> 4;
  const std::uint8_t command = Byte(bytes, 12) & 0x0f;
  const std::uint8_t family = Byte(bytes, 13) >> 4;
  const std::uint8_t transport = Byte(bytes, 13) & 0x0f;
  const std::size_t length = BigEndian16(bytes, 14);
  if (version != kV2Version) return Invalid("v2 version must be 2");
  if (command != kV2Local && command != kV2Proxy) {
    return Invalid("v2 command must be LOCAL or PROXY");
  }
  if (family > kFamilyUnix || transport > kTransportDgram) {
    return Invalid("v2 address family or transport unknown");
  }
  if (length > kMaxProxyV2Length) {
    return Invalid("v2 longer than " + std::to_string(kProxyV2FixedBytes + kMaxProxyV2Length) +
                   " bytes");
  }
  if (bytes.size() < kProxyV2FixedBytes + length) return ProxyHeader{};
  ProxyHeader h = Complete(kProxyV2FixedBytes + length);
  // LOCAL: the proxy's own connection; its address block, if any, is ignored.
  if (command == kV2Local || family == kFamilyUnspec || family == kFamilyUnix) return h;
  const std::size_t needed = family == kFamilyInet6 ? kInet6Block : kInetBlock;
  if (length < needed) {
    return Invalid("v2 address block too short for its family");
  }
  ReadV2Source(bytes.substr(kProxyV2FixedBytes, needed), family, &h);
  return h;
}

}  // namespace

ProxyHeader ParseProxyHeader(std::string_view bytes) {
  if (bytes.empty()) return ProxyHeader{};
  ProxyHeader h;
  if (AgreesWith(bytes, kV1Prefix)) {
    if (bytes.size() < kV1Prefix.size()) return h;
    h = ParseV1(bytes);
  } else if (AgreesWith(bytes, kV2Signature)) {
    h = ParseV2(bytes);
  } else {
    return Invalid("missing PROXY protocol header");
  }
  if (h.status == Status::kInvalid) h.error = "malformed PROXY protocol header: " + h.error;
  return h;
}

}  // namespace fibpool::supervisor
