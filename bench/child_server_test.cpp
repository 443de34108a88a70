#include "bench/child_server.h"

#include <gtest/gtest.h>

namespace fibpool::bench {
namespace {

TEST(ParseReadyLineTest, ReadsFibpoolsReadyLine) {
  boost::asio::ip::tcp::endpoint e;
  unsigned workers = 99;
  ASSERT_TRUE(ParseReadyLine("fibpool listening on 127.0.0.1:25000 workers=8", &e, &workers));
  EXPECT_EQ(e.address().to_string(), "127.0.0.1");
  EXPECT_EQ(e.port(), 25000);
  EXPECT_EQ(workers, 8u);
}

TEST(ParseReadyLineTest, ReadsIpv6AndMissingWorkers) {
  boost::asio::ip::tcp::endpoint e;
  unsigned workers = 99;
  ASSERT_TRUE(ParseReadyLine("x listening on ::1:4000", &e, &workers));
  EXPECT_EQ(e.address().to_string(), "::1");
  EXPECT_EQ(e.port(), 4000);
  EXPECT_EQ(workers, 0u);
}

TEST(ParseReadyLineTest, RejectsOtherLines) {
  boost::asio::ip::tcp::endpoint e;
  unsigned workers = 0;
  EXPECT_FALSE(ParseReadyLine("starting up", &e, &workers));
  EXPECT_FALSE(ParseReadyLine("listening on nowhere", &e, &workers));
  EXPECT_FALSE(ParseReadyLine("listening on 127.0.0.1:0", &e, &workers));
  EXPECT_FALSE(ParseReadyLine("listening on 127.0.0.1:99999", &e, &workers));
}

}  // namespace
}  // namespace fibpool::bench
