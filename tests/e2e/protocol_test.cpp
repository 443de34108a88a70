// The line protocol as a client sees it, against the real binaries.
#include <gtest/gtest.h>

#include "tests/support/line_client.h"
#include "tests/support/server_process.h"

namespace fibpool::testing {
namespace {

TEST(Protocol, AnswersBareNumbersWithFibonacci) {
  ServerProcess server({"--workers", "2"});
  LineClient client(server.port());
  EXPECT_EQ(client.Ask("30"), "832040");
  EXPECT_EQ(client.Ask("fib 93"), "12200160415121876738");
  EXPECT_EQ(client.Ask("100"), "354224848179261915075");
}

}  // namespace
}  // namespace fibpool::testing
