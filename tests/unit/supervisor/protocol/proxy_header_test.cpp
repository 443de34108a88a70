#include "supervisor/protocol/proxy_header.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/proxy_header_bytes.h"

namespace fibpool::supervisor {
namespace {

using Status = ProxyHeader::Status;
using testing::ProxyV2;
using testing::ProxyV2Local;
using testing::ProxyV2Tcp;
using testing::ProxyV2Tlv;

constexpr std::string_view kV1Tcp4 = "PROXY TCP4 203.0.113.7 192.0.2.1 56324 25000\r\n";

void ExpectInvalid(std::string_view bytes, std::string_view reason) {
  const ProxyHeader h = ParseProxyHeader(bytes);
  EXPECT_EQ(h.status, Status::kInvalid) << "'" << bytes << "'";
  EXPECT_NE(h.error.find(reason), std::string::npos) << h.error;
}

TEST(ProxyHeader, V1Tcp4GivesTheSourceAddressAndPortAndItsLength) {
  const ProxyHeader h = ParseProxyHeader(kV1Tcp4);
  ASSERT_EQ(h.status, Status::kComplete) << h.error;
  EXPECT_EQ(h.length, kV1Tcp4.size());
  ASSERT_TRUE(h.source);
  EXPECT_EQ(h.source->to_string(), "203.0.113.7");
  EXPECT_EQ(h.source_port, 56324);
}

TEST(ProxyHeader, V1Tcp6GivesTheSourceAddress) {
  const std::string header = "PROXY TCP6 2001:db8::7 2001:db8::1 65535 25000\r\n";
  const ProxyHeader h = ParseProxyHeader(header);
  ASSERT_EQ(h.status, Status::kComplete) << h.error;
  EXPECT_EQ(h.length, header.size());
  ASSERT_TRUE(h.source);
  EXPECT_EQ(h.source->to_string(), "2001:db8::7");
  EXPECT_EQ(h.source_port, 65535);
}

TEST(ProxyHeader, V1UnknownCarriesNoSourceWhateverFollowsIt) {
  for (const std::string_view header :
       {"PROXY UNKNOWN\r\n", "PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n"}) {
    const ProxyHeader h = ParseProxyHeader(header);
    ASSERT_EQ(h.status, Status::kComplete) << header;
    EXPECT_EQ(h.length, header.size());
    EXPECT_FALSE(h.source);
  }
}

TEST(ProxyHeader, V1OfTheLongestAllowedSizeIsAccepted) {
  // The protocol's own worst case: UNKNOWN with two full IPv6 addresses.
  const std::string header =
      "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
      "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n";
  ASSERT_EQ(header.size(), kMaxProxyV1Bytes);
  EXPECT_EQ(ParseProxyHeader(header).status, Status::kComplete);
}

TEST(ProxyHeader, BytesAfterTheHeaderAreNotPartOfIt) {
  const std::string bytes = std::string(kV1Tcp4) + "30\nping\n";
  const ProxyHeader h = ParseProxyHeader(bytes);
  ASSERT_EQ(h.status, Status::kComplete);
  EXPECT_EQ(bytes.substr(h.length), "30\nping\n");

  const std::string v2 = ProxyV2Tcp("198.51.100.9", 4000, "192.0.2.1", 25000);
  const std::string v2_bytes = v2 + "fib 10\n";
  const ProxyHeader h2 = ParseProxyHeader(v2_bytes);
  ASSERT_EQ(h2.status, Status::kComplete);
  EXPECT_EQ(v2_bytes.substr(h2.length), "fib 10\n");
}

TEST(ProxyHeader, EveryProperPrefixOfAHeaderNeedsMoreBytes) {
  const std::string v2 =
      ProxyV2Tcp("2001:db8::9", 1234, "2001:db8::1", 25000, ProxyV2Tlv(0x05, "unique-id"));
  for (const std::string_view header : {kV1Tcp4, std::string_view(v2)}) {
    for (std::size_t n = 0; n < header.size(); ++n) {
      EXPECT_EQ(ParseProxyHeader(header.substr(0, n)).status, Status::kNeedMore) << n << " bytes";
    }
    EXPECT_EQ(ParseProxyHeader(header).status, Status::kComplete);
  }
}

TEST(ProxyHeader, HeaderArrivingInPiecesIsReadOnceComplete) {
  // As a connection sees it: each read appended to what came before.
  const std::string stream = std::string(kV1Tcp4) + "55\n";
  std::string received;
  ProxyHeader h;
  for (const std::string_view piece :
       {"PRO", "XY TCP4 203.0.1", "13.7 192.0.2.1 56324 2", "5000\r", "\n55\n"}) {
    ASSERT_EQ(h.status, Status::kNeedMore) << received;
    received += piece;
    h = ParseProxyHeader(received);
  }
  ASSERT_EQ(h.status, Status::kComplete);
  EXPECT_EQ(h.source->to_string(), "203.0.113.7");
  EXPECT_EQ(received.substr(h.length), "55\n");
}

TEST(ProxyHeader, V2ProxyOverIpv4AndIpv6GivesTheSourceAddressAndPort) {
  struct Case {
    std::string source, destination;
    std::uint16_t port;
    std::size_t address_block;
  };
  for (const Case& c : {Case{"198.51.100.9", "192.0.2.1", 40000, 12},
                        Case{"2001:db8::9", "2001:db8::1", 1234, 36}}) {
    const ProxyHeader h = ParseProxyHeader(ProxyV2Tcp(c.source, c.port, c.destination, 25000));
    ASSERT_EQ(h.status, Status::kComplete) << h.error;
    EXPECT_EQ(h.length, 16u + c.address_block);
    ASSERT_TRUE(h.source);
    EXPECT_EQ(h.source->to_string(), c.source);
    EXPECT_EQ(h.source_port, c.port);
  }
}

TEST(ProxyHeader, V2TlvsAfterTheAddressesAreSkipped) {
  const std::string tlvs = ProxyV2Tlv(0x01, "h2") + ProxyV2Tlv(0x02, "fib.example") +
                           ProxyV2Tlv(0x04, "");  // ALPN, authority, NOOP
  const std::string header = ProxyV2Tcp("198.51.100.9", 40000, "192.0.2.1", 25000, tlvs);
  const std::string bytes = header + "ping\n";
  const ProxyHeader h = ParseProxyHeader(bytes);
  ASSERT_EQ(h.status, Status::kComplete) << h.error;
  EXPECT_EQ(h.length, header.size());
  EXPECT_EQ(h.source->to_string(), "198.51.100.9");
  EXPECT_EQ(bytes.substr(h.length), "ping\n");
}

TEST(ProxyHeader, V2LocalCarriesNoSourceAndSkipsAnyAddressBlock) {
  const ProxyHeader h = ParseProxyHeader(ProxyV2Local());
  ASSERT_EQ(h.status, Status::kComplete) << h.error;
  EXPECT_EQ(h.length, 16u);
  EXPECT_FALSE(h.source);

  // LOCAL with an INET block (some proxies fill it in): still the peer.
  std::string with_block = ProxyV2Tcp("198.51.100.9", 40000, "192.0.2.1", 25000);
  with_block[12] = static_cast<char>(testing::kProxyV2Local);
  const ProxyHeader local = ParseProxyHeader(with_block);
  ASSERT_EQ(local.status, Status::kComplete);
  EXPECT_EQ(local.length, with_block.size());
  EXPECT_FALSE(local.source);
}

TEST(ProxyHeader, V2UnspecAndUnixFamiliesCarryNoSource) {
  EXPECT_FALSE(ParseProxyHeader(ProxyV2(testing::kProxyV2Proxy, 0x00, "")).source);
  const std::string unix_block(216, '\0');  // two sun_path fields
  const ProxyHeader h = ParseProxyHeader(ProxyV2(testing::kProxyV2Proxy, 0x31, unix_block));
  ASSERT_EQ(h.status, Status::kComplete) << h.error;
  EXPECT_EQ(h.length, 16u + 216u);
  EXPECT_FALSE(h.source);
}

TEST(ProxyHeader, BytesThatCannotBeginAHeaderAreMissingIt) {
  for (const std::string_view bytes :
       {std::string_view("30\n"), std::string_view("ping"), std::string_view("PING\n"),
        std::string_view("proxy TCP4"), std::string_view("GET / HTTP/1.1\r\n"),
        std::string_view("\r\n\r\n\0\r\nquit\n", 12)}) {
    ExpectInvalid(bytes, "missing PROXY protocol header");
  }
}

TEST(ProxyHeader, MalformedV1IsInvalid) {
  ExpectInvalid("PROXY TCP4 203.0.113.7 192.0.2.1 56324 25000\n", "CR LF");
  ExpectInvalid("PROXY TCP5 203.0.113.7 192.0.2.1 56324 25000\r\n", "TCP4, TCP6 or UNKNOWN");
  ExpectInvalid("PROXY TCP4 203.0.113.7 192.0.2.1 56324\r\n", "two ports");
  ExpectInvalid("PROXY TCP4 203.0.113.7 192.0.2.1 56324 25000 1\r\n", "two ports");
  ExpectInvalid("PROXY TCP4 203.0.113.7  192.0.2.1 56324 25000\r\n", "two ports");
  ExpectInvalid("PROXY TCP4 2001:db8::7 192.0.2.1 56324 25000\r\n", "must be IPv4");
  ExpectInvalid("PROXY TCP6 203.0.113.7 2001:db8::1 56324 25000\r\n", "must be IPv6");
  ExpectInvalid("PROXY TCP4 203.0.113.7 192.0.2.1 65536 25000\r\n", "0 to 65535");
  ExpectInvalid("PROXY TCP4 203.0.113.7 192.0.2.1 -1 25000\r\n", "0 to 65535");
  ExpectInvalid("PROXY \r\n", "malformed PROXY protocol header");
}

TEST(ProxyHeader, V1WithoutCrLfWithin107BytesIsInvalidNotWaitedFor) {
  const std::string endless = "PROXY UNKNOWN " + std::string(200, 'x');
  EXPECT_EQ(ParseProxyHeader(endless.substr(0, kMaxProxyV1Bytes - 1)).status, Status::kNeedMore);
  ExpectInvalid(endless.substr(0, kMaxProxyV1Bytes), "within 107 bytes");
  ExpectInvalid(endless, "within 107 bytes");
}

TEST(ProxyHeader, MalformedV2IsInvalid) {
  const std::string good = ProxyV2Tcp("198.51.100.9", 40000, "192.0.2.1", 25000);
  std::string version1 = good;
  version1[12] = 0x11;
  ExpectInvalid(version1, "version must be 2");
  std::string command = good;
  command[12] = 0x22;
  ExpectInvalid(command, "LOCAL or PROXY");
  std::string family = good;
  family[13] = 0x41;
  ExpectInvalid(family, "family or transport");
  // A TCP4 block cut to 8 bytes by its length field.
  ExpectInvalid(ProxyV2(testing::kProxyV2Proxy, testing::kProxyV2Tcp4, std::string(8, '\1')),
                "too short");
  ExpectInvalid(ProxyV2(testing::kProxyV2Proxy, testing::kProxyV2Tcp6, std::string(12, '\1')),
                "too short");
}

TEST(ProxyHeader, V2LongerThanTheCapIsInvalidBeforeItsBodyArrives) {
  const std::string fixed = ProxyV2(testing::kProxyV2Proxy, testing::kProxyV2Tcp4,
                                    std::string(kMaxProxyV2Length + 1, '\0'))
                                .substr(0, kProxyV2FixedBytes);
  ExpectInvalid(fixed, "longer than");
  const std::string largest =
      ProxyV2(testing::kProxyV2Proxy, testing::kProxyV2Tcp4, std::string(kMaxProxyV2Length, '\1'));
  ASSERT_EQ(largest.size(), kMaxProxyHeaderBytes);
  EXPECT_EQ(ParseProxyHeader(largest.substr(0, largest.size() - 1)).status, Status::kNeedMore);
  EXPECT_EQ(ParseProxyHeader(largest).status, Status::kComplete);
}

}  // namespace
}  // namespace fibpool::supervisor
