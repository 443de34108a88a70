// LoadRun's group options against real sockets: the source address a group
// connects from, the pause between one answer and the next request, and the
// time a group stops sending.
#include "bench/load_run.h"

#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>

#include "bench/baseline_loops.h"

namespace fibpool::bench {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

constexpr std::int64_t kMs = 1'000'000;

TEST(LoadRunTest, AGroupConnectsFromItsSourceAddress) {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  asio::ip::tcp::endpoint peer;
  std::thread server([&] {
    asio::ip::tcp::socket s = acceptor.accept();
    peer = s.remote_endpoint();
    // Closing without an answer ends the run at once.
  });
  GroupSpec g;
  g.requests = TinyRequests(1);
  g.source = asio::ip::make_address("127.0.0.2");
  RunSpec spec;
  spec.target = acceptor.local_endpoint();
  spec.groups = {g};
  spec.window = milliseconds(5000);
  const RunResult r = LoadRun(spec).Run();
  server.join();
  EXPECT_EQ(peer.address().to_string(), "127.0.0.2");
  EXPECT_TRUE(r.failure.empty()) << r.failure;
  EXPECT_EQ(r.groups[0].answered, 0u);
}

class BaselineThread {
 public:
  BaselineThread() : loops_(BaselineOptions{}, 1), thread_([this] { loops_.Run(); }) {}
  ~BaselineThread() {
    loops_.Stop();
    thread_.join();
  }
  asio::ip::tcp::endpoint endpoint() const { return loops_.local_endpoint(); }

 private:
  BaselineLoops loops_;
  std::thread thread_;
};

TEST(LoadRunTest, APausedGroupWaitsBetweenAnswersAndStopsSendingAtItsTime) {
  BaselineThread server;
  GroupSpec g;
  g.requests = TinyRequests();
  g.pause = milliseconds(20);
  g.stop_after = milliseconds(300);
  g.record_answer_times = true;
  RunSpec spec;
  spec.target = server.endpoint();
  spec.groups = {g};
  spec.window = milliseconds(10'000);
  const RunResult r = LoadRun(spec).Run();
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  const GroupResult& result = r.groups[0];
  // One request at 0, then one at most every 20 ms until 300 ms.
  EXPECT_GE(result.answered, 2u);
  EXPECT_LE(result.sent, 16u);
  EXPECT_EQ(result.answered, result.sent);
  EXPECT_EQ(result.wrong, 0u);
  ASSERT_EQ(result.answer_ns.size(), result.answered);
  for (std::size_t i = 1; i < result.answer_ns.size(); ++i) {
    EXPECT_GE(result.answer_ns[i] - result.answer_ns[i - 1], 20 * kMs) << i;
  }
  // Done when the last answer is in, long before the window would close.
  EXPECT_LT(r.run_seconds, 5.0);
}

}  // namespace
}  // namespace fibpool::bench
