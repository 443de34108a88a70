// LoadRun's group options against real sockets: the source address a group
// connects from, the pause between one answer and the next request, the time
// a group stops sending, and a client that honours `ERR busy retry_after=S`.
#include "bench/load_run.h"

#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include "bench/baseline_loops.h"
#include "bench/clock.h"

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

// A server for one connection that refuses the first request with `ERR busy
// retry_after=1` and answers every later one with F(N); it notes when each
// request line arrived (ns, NowNanos).
class RefusingServer {
 public:
  RefusingServer() : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] {
      asio::ip::tcp::socket s = acceptor_.accept();
      asio::streambuf in;
      boost::system::error_code ec;
      while (asio::read_until(s, in, '\n', ec) > 0 && !ec) {
        arrivals_ns.push_back(NowNanos());
        std::istream lines(&in);
        std::string line;
        std::getline(lines, line);
        const std::string answer = arrivals_ns.size() == 1 ? "ERR busy retry_after=1\n"
                                                           : FibDecimal(std::stoull(line)) + "\n";
        asio::write(s, asio::buffer(answer), ec);
      }
    });
  }
  ~RefusingServer() { Join(); }
  void Join() {
    if (thread_.joinable()) thread_.join();
  }
  asio::ip::tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }

  std::vector<std::int64_t> arrivals_ns;

 private:
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
};

// Two requests, one at a time, to a RefusingServer: what the client counted,
// and when the server read each request.
struct TwoRequests {
  std::string failure;
  GroupResult result;
  std::vector<std::int64_t> arrivals_ns;
};

TwoRequests SendTwoToARefusingServer(bool honour_retry_after) {
  RefusingServer server;
  GroupSpec g;
  g.requests = TinyRequests(3);
  g.max_requests_per_connection = 2;
  g.record_all_latency = true;
  g.honour_retry_after = honour_retry_after;
  RunSpec spec;
  spec.target = server.endpoint();
  spec.groups = {g};
  spec.window = milliseconds(10'000);
  RunResult r = LoadRun(spec).Run();
  server.Join();
  return {r.failure, r.groups[0], server.arrivals_ns};
}

TEST(LoadRunTest, AClientHonouringRetryAfterWaitsSSecondsThenRetries) {
  const TwoRequests run = SendTwoToARefusingServer(true);
  ASSERT_TRUE(run.failure.empty()) << run.failure;
  const GroupResult& g = run.result;
  EXPECT_EQ(g.sent, 2u);
  EXPECT_EQ(g.refused, 1u);
  ASSERT_EQ(g.refusals_seen.size(), 1u);
  EXPECT_EQ(g.refusals_seen[0].s, 1u);
  ASSERT_EQ(g.accepted_jobs.size(), 1u);  // the retry, sent a second after the refusal arrived
  EXPECT_GE(g.accepted_jobs[0].sent_ns - g.refusals_seen[0].at_ns, 1'000 * kMs);
  EXPECT_EQ(g.refusal_latency.count(), 1u);
  EXPECT_EQ(g.answered, 1u);  // the retry, with F(1)
  EXPECT_EQ(g.wrong, 0u);
  EXPECT_EQ(g.retries, 1u);
  EXPECT_EQ(g.retries_accepted, 1u);
  EXPECT_EQ(g.latency.count(), 1u);  // refusals are not among the answers' latencies
  ASSERT_EQ(run.arrivals_ns.size(), 2u);
  EXPECT_GE(run.arrivals_ns[1] - run.arrivals_ns[0], 1'000 * kMs);
}

TEST(LoadRunTest, AClientThatDoesNotHonourRetryAfterCountsTheRefusalWrongAndGoesOn) {
  const TwoRequests run = SendTwoToARefusingServer(false);
  ASSERT_EQ(run.arrivals_ns.size(), 2u) << run.failure;
  EXPECT_LT(run.arrivals_ns[1] - run.arrivals_ns[0], 1'000 * kMs);
  // Both answered, the refusal as a wrong one; nothing counted refused or retried.
  EXPECT_EQ((std::vector<std::uint64_t>{run.result.answered, run.result.wrong, run.result.refused,
                                        run.result.retries}),
            (std::vector<std::uint64_t>{2, 1, 0, 0}));
}

}  // namespace
}  // namespace fibpool::bench
