// Clients that never send a newline, as the classic fib benchmark clients
// ("perf1", "perf2") do, against the real binaries: each of their reads is
// answered, while line clients, pipelined or splitting a line over two
// writes, are served exactly as before (docs/protocol.md, "Requests without a
// newline").
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "supervisor/protocol/request_boundary.h"
#include "tests/support/line_client.h"
#include "tests/support/server_process.h"
#include "tests/support/shared_server.h"

namespace fibpool::testing {
namespace {

using std::chrono::milliseconds;
using supervisor::kFirstRequestPause;

// Every test here only asks and reads, each on connections of its own: one
// server for all.
class ReadPerRequest : public SharedServer<ReadPerRequest> {
 public:
  static std::vector<std::string> Args() { return {"--workers", "2"}; }
};

// perf1's loop body: send(b"30"); recv(100).
std::optional<std::string> Perf1Request(LineClient& client) {
  client.Send("30");
  return client.Recv(100);
}

// perf2's loop body: send(b"1"); recv(100).
std::optional<std::string> Perf2Request(LineClient& client) {
  client.Send("1");
  return client.Recv(100);
}

TEST_F(ReadPerRequest, Perf1GetsF30ForEachNewlineLessRequest) {
  LineClient perf1(server().port());
  for (int i = 0; i < 20; ++i) ASSERT_EQ(Perf1Request(perf1), "832040\n") << "request " << i;
}

TEST_F(ReadPerRequest, Perf2IsAnsweredWithoutAPauseAfterItsFirstRequest) {
  LineClient perf2(server().port());
  ASSERT_EQ(Perf2Request(perf2), "1\n");
  constexpr int kRequests = 500;
  std::vector<std::chrono::steady_clock::duration> took;
  for (int i = 0; i < kRequests; ++i) {
    const auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(Perf2Request(perf2), "1\n") << "request " << i;
    took.push_back(std::chrono::steady_clock::now() - start);
  }
  // Requests that each waited for kFirstRequestPause would all take at least
  // that long; the median, unlike a total, ignores the requests a busy
  // machine delays.
  std::nth_element(took.begin(), took.begin() + kRequests / 2, took.end());
  EXPECT_LT(took[kRequests / 2], kFirstRequestPause)
      << "median "
      << std::chrono::duration_cast<std::chrono::microseconds>(took[kRequests / 2]).count()
      << " us";
}

TEST_F(ReadPerRequest, Perf1Perf2AndALineClientRunTogether) {
  std::atomic<bool> stop{false};
  std::atomic<int> perf2_answers{0};
  std::thread perf2_thread([&] {
    LineClient perf2(server().port());
    while (!stop) {
      const auto answer = Perf2Request(perf2);
      if (answer != "1\n") {
        ADD_FAILURE() << "perf2 got " << answer.value_or("nothing");
        return;
      }
      ++perf2_answers;
    }
  });
  LineClient perf1(server().port());
  LineClient telnet(server().port());
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(Perf1Request(perf1), "832040\n") << "request " << i;
    ASSERT_EQ(telnet.Ask("42\r"), "267914296");
  }
  stop = true;
  perf2_thread.join();
  EXPECT_GT(perf2_answers.load(), 0);
}

TEST_F(ReadPerRequest, ALineSplitOverTwoWritesBehindNagleIsOneRequest) {
  for (int i = 0; i < 20; ++i) {
    LineClient client(server().port());
    client.SetNoDelay(false);  // the second write waits for the ACK of the first
    client.Send("3");
    client.Send("0\n");
    ASSERT_EQ(client.ReadLine(), "832040") << "connection " << i;
    ASSERT_EQ(client.Ask("ping"), "pong");
  }
}

TEST_F(ReadPerRequest, AConnectionThatSentANewlineNeverHasAPartialLineAnswered) {
  LineClient client(server().port());
  client.Send("10\n20\n3");
  EXPECT_EQ(client.ReadLine(), "55");
  EXPECT_EQ(client.ReadLine(), "6765");
  // Ten pauses pass: the partial line `3` is no request.
  EXPECT_EQ(client.ReadLine(10 * kFirstRequestPause), std::nullopt);
  client.Send("0\n");
  EXPECT_EQ(client.ReadLine(), "832040");
}

TEST_F(ReadPerRequest, PipelinedLinesAreAnsweredInOrderWhateverTheirSegments) {
  LineClient client(server().port());
  std::string batch;
  for (int n = 0; n < 200; ++n) batch += std::to_string(n % 50) + "\n";
  client.Send(batch.substr(0, 301));  // cut inside a line
  client.Send(batch.substr(301));
  std::uint64_t a = 0, b = 1;
  std::vector<std::string> expected;
  for (int n = 0; n < 50; ++n, b = a + b, a = b - a) expected.push_back(std::to_string(a));
  for (int n = 0; n < 200; ++n) ASSERT_EQ(client.ReadLine(), expected[n % 50]) << "line " << n;
  EXPECT_EQ(client.ReadLine(10 * kFirstRequestPause), std::nullopt);
}

TEST_F(ReadPerRequest, AfterItsFirstAnswerEveryReadIsOneRequestErrorsIncluded) {
  LineClient client(server().port());
  client.Send("10");
  ASSERT_EQ(client.Recv(100), "55\n");
  client.Send("abc");
  const auto error = client.Recv(100);
  ASSERT_TRUE(error.has_value());
  EXPECT_TRUE(error->starts_with("ERR bad_request")) << *error;
  client.Send("ping");
  EXPECT_EQ(client.Recv(100), "pong\n");
  // A newline makes it a line connection for good.
  client.Send("20\n");
  EXPECT_EQ(client.Recv(100), "6765\n");
  client.Send("3");
  EXPECT_EQ(client.Recv(100, 10 * kFirstRequestPause), std::nullopt);
}

TEST_F(ReadPerRequest, AnIncompleteFirstRequestWaitsForTheRestOfItsLine) {
  LineClient client(server().port());
  client.Send("fib");  // not a request by itself
  EXPECT_EQ(client.Recv(100, 10 * kFirstRequestPause), std::nullopt);
  client.Send(" 30\n");
  EXPECT_EQ(client.ReadLine(), "832040");
}

}  // namespace
}  // namespace fibpool::testing
