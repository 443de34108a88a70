// fibpool-minimal, the real binary on port 0 over real sockets: right
// answers for the requests the load scenarios send, pipelined lines answered
// in order, a line split over two writes, `ERR bad_request` for anything
// else, and SIGTERM stopping it with status 0.
#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "bench/child_server.h"
#include "tests/support/line_client.h"
#include "tests/support/server_process.h"

namespace fibpool::bench {
namespace {

using testing::LineClient;

ChildServer StartMinimal() {
  return ChildServer::Start({testing::BinDir() + "/fibpool-minimal", "--port", "0"},
                            std::chrono::seconds(15));
}

TEST(MinimalServerTest, AnswersFastAndRecursiveJobs) {
  ChildServer server = StartMinimal();
  EXPECT_NE(server.ready_line().find("fibpool-minimal listening on 127.0.0.1:"),
            std::string::npos)
      << server.ready_line();
  LineClient client(server.endpoint().port());
  EXPECT_EQ(client.Ask("10"), "55");
  EXPECT_EQ(client.Ask("0"), "0");
  EXPECT_EQ(client.Ask("20 fast"), "6765");
  EXPECT_EQ(client.Ask("30 recursive"), "832040");
  EXPECT_EQ(client.Ask("93"), "12200160415121876738");
  EXPECT_EQ(client.Ask("12\r"), "144");
  EXPECT_EQ(server.Stop(), 0);
}

TEST(MinimalServerTest, PipelinedLinesInOneWriteAreAnsweredInOrder) {
  ChildServer server = StartMinimal();
  LineClient client(server.endpoint().port());
  client.Send("1\n2 fast\n3\n20 recursive\n10\nnope\n7\n");
  for (const char* answer : {"1", "1", "2", "6765", "55", "ERR bad_request", "13"}) {
    EXPECT_EQ(client.ReadLine(), answer);
  }
}

TEST(MinimalServerTest, ALineSplitAcrossTwoWritesIsAnsweredOnce) {
  ChildServer server = StartMinimal();
  LineClient client(server.endpoint().port());
  client.Send("3");
  // Long enough for the server to read the first part on its own.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  client.Send("0 recursive\n2");
  EXPECT_EQ(client.ReadLine(), "832040");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  client.Send("5\n");
  EXPECT_EQ(client.ReadLine(), "75025");
}

TEST(MinimalServerTest, ABadLineIsAnsweredErrBadRequestAndTheConnectionServesOn) {
  ChildServer server = StartMinimal();
  LineClient client(server.endpoint().port());
  for (const char* bad : {"hello", "", "94", "-1", "10 slow", "10  fast", "fib 10", "1e3"}) {
    EXPECT_EQ(client.Ask(bad), "ERR bad_request") << "'" << bad << "'";
  }
  EXPECT_EQ(client.Ask("11"), "89");
}

TEST(MinimalServerTest, ALineOverTheLimitIsRefusedAndTheConnectionClosed) {
  ChildServer server = StartMinimal();
  LineClient client(server.endpoint().port());
  client.Send(std::string(4096, '1'));
  EXPECT_EQ(client.ReadLine(), "ERR bad_request");
  EXPECT_TRUE(client.WaitForClose());
}

}  // namespace
}  // namespace fibpool::bench
