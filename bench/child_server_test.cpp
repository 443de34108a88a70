#include "bench/child_server.h"

#include <gtest/gtest.h>

namespace fibpool::bench {
namespace {

// `line` parses into the endpoint address:port and `workers`.
void ExpectReadyLine(const std::string& line, const std::string& address, unsigned short port,
                     unsigned workers) {
  boost::asio::ip::tcp::endpoint e;
  unsigned parsed_workers = 99;
  ASSERT_TRUE(ParseReadyLine(line, &e, &parsed_workers)) << line;
  EXPECT_EQ(e.address().to_string(), address) << line;
  EXPECT_EQ(e.port(), port) << line;
  EXPECT_EQ(parsed_workers, workers) << line;
}

TEST(ParseReadyLineTest, ReadsFibpoolsReadyLine) {
  ExpectReadyLine("fibpool listening on 127.0.0.1:25000 workers=8", "127.0.0.1", 25000, 8);
}

TEST(ParseReadyLineTest, ReadsIpv6AndMissingWorkers) {
  ExpectReadyLine("x listening on ::1:4000", "::1", 4000, 0);
  ExpectReadyLine("x listening on [::1]:4000 workers=2", "::1", 4000, 2);
}

TEST(ParseReadyLineTest, RejectsOtherLines) {
  boost::asio::ip::tcp::endpoint e;
  unsigned workers = 0;
  EXPECT_FALSE(ParseReadyLine("starting up", &e, &workers));
  EXPECT_FALSE(ParseReadyLine("listening on nowhere", &e, &workers));
  EXPECT_FALSE(ParseReadyLine("listening on 127.0.0.1:0", &e, &workers));
  EXPECT_FALSE(ParseReadyLine("listening on 127.0.0.1:99999", &e, &workers));
  EXPECT_FALSE(ParseReadyLine("listening on 127.0.0.1:80x", &e, &workers));
  EXPECT_FALSE(ParseReadyLine("listening on not-an-address:80", &e, &workers));
}

}  // namespace
}  // namespace fibpool::bench
