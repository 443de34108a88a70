// fibpool-minimal, the real binary on port 0 over real sockets: right
// answers for the requests the load scenarios send, pipelined lines answered
// in order, a line split over two writes, `ERR bad_request` for anything
// else, SIGTERM stopping it with status 0, and with --read-per-request the
// articles' newline-less clients answered read by read.
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "bench/child_server.h"
#include "tests/support/line_client.h"
#include "tests/support/server_process.h"

namespace fibpool::bench {
namespace {

using testing::LineClient;

ChildServer StartMinimal(const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv = {testing::BinDir() + "/fibpool-minimal", "--port", "0"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return ChildServer::Start(argv, std::chrono::seconds(15));
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

TEST(MinimalServerTest, ReadPerRequestAnswersEachNewlineLessReadAtOnce) {
  ChildServer server = StartMinimal({"--read-per-request"});
  LineClient perf1(server.endpoint().port());
  LineClient perf2(server.endpoint().port());
  for (int i = 0; i < 5; ++i) {
    // perf1's and perf2's loop bodies: send(b"30") or send(b"1"); recv(100).
    perf1.Send("30");
    ASSERT_EQ(perf1.Recv(100), "832040\n") << "request " << i;
    perf2.Send("1");
    ASSERT_EQ(perf2.Recv(100), "1\n") << "request " << i;
  }
  perf1.Send("abc");
  EXPECT_EQ(perf1.Recv(100), "ERR bad_request\n");
}

TEST(MinimalServerTest, ReadPerRequestLeavesLineConnectionsLineByLine) {
  ChildServer server = StartMinimal({"--read-per-request"});
  LineClient client(server.endpoint().port());
  EXPECT_EQ(client.Ask("10"), "55");
  // A line connection now: a read without its LF is half a line, not `3`,
  // which would be answered at once.
  client.Send("3");
  EXPECT_EQ(client.Recv(100, std::chrono::milliseconds(200)), std::nullopt);
  client.Send("0 recursive\n");
  EXPECT_EQ(client.ReadLine(), "832040");
  EXPECT_EQ(client.Ask("11"), "89");
}

}  // namespace
}  // namespace fibpool::bench
