// fibpool-baseline with two event loops (--threads 2), the real binary over
// real sockets: both loops accept connections, every connection is answered
// right by the loop that accepted it, the loops share nothing, and SIGTERM
// drains both.
#include <array>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "bench/child_server.h"
#include "tests/support/fib_by_addition.h"
#include "tests/support/line_client.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"

namespace fibpool::bench {
namespace {

using testing::LineClient;

// The kernel spreads connections over the loops by a hash of their ports:
// with this many, the chance that every one lands on the same loop of two is
// 2^-63.
constexpr int kConnections = 64;

struct Served {
  std::unique_ptr<LineClient> client;
  unsigned loop = 0;
};

// `stats` on this connection: the index of the loop serving it, and the
// count of loops.
std::pair<unsigned, unsigned> LoopOf(LineClient& client) {
  const boost::json::object stats = testing::AskStats(client);
  return {static_cast<unsigned>(testing::Counter(stats, "loop")),
          static_cast<unsigned>(testing::Counter(stats, "loops"))};
}

TEST(BaselineLoopsTest, TwoThreadsServeManyConnectionsOnBothLoopsAndDrainOnSigterm) {
  ChildServer server =
      ChildServer::Start({testing::BinDir() + "/fibpool-baseline", "--port", "0", "--threads", "2"},
                         std::chrono::seconds(15));
  EXPECT_NE(server.ready_line().find("threads=2"), std::string::npos) << server.ready_line();
  const std::vector<std::string> fib = testing::FibTableByAddition(94);

  // Every connection stays open: they are all served at once.
  std::vector<Served> served;
  std::array<unsigned, 2> per_loop{};
  for (int i = 0; i < kConnections; ++i) {
    Served s{std::make_unique<LineClient>(server.endpoint().port()), 0};
    const auto [loop, loops] = LoopOf(*s.client);
    ASSERT_EQ(loops, 2u);
    ASSERT_LT(loop, 2u);
    s.loop = loop;
    ++per_loop[loop];
    served.push_back(std::move(s));
  }
  EXPECT_GT(per_loop[0], 0u) << "loop 0 accepted no connection";
  EXPECT_GT(per_loop[1], 0u) << "loop 1 accepted no connection";

  // Pipelined requests on every connection, answered in order and right.
  for (int i = 0; i < kConnections; ++i) {
    std::string batch;
    for (int k = 0; k < 10; ++k) batch += std::to_string((i + 7 * k) % 94) + "\n";
    served[i].client->Send(batch);
  }
  for (int i = 0; i < kConnections; ++i) {
    for (int k = 0; k < 10; ++k) {
      ASSERT_EQ(served[i].client->ReadLine(), fib[(i + 7 * k) % 94]) << "connection " << i;
    }
  }

  // Each loop counts exactly the connections it accepted: nothing shared.
  for (unsigned loop = 0; loop < 2; ++loop) {
    for (Served& s : served) {
      if (s.loop != loop) continue;
      const boost::json::object stats = testing::AskStats(*s.client);
      EXPECT_EQ(testing::Counter(stats, "loop"), loop);
      EXPECT_EQ(testing::Counter(stats, "connections_open"), per_loop[loop]) << "loop " << loop;
      break;
    }
  }

  // SIGTERM: both loops drain, closing every connection, and it exits 0
  // (a loop's run() returns only once its connections are gone).
  EXPECT_EQ(server.Stop(), 0);
  for (Served& s : served) EXPECT_TRUE(s.client->WaitForClose()) << "loop " << s.loop;
}

}  // namespace
}  // namespace fibpool::bench
