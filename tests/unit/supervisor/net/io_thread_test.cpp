// IoThread with a real connection on a real socket, in front of a fake pool
// (a JobExecutor of the test) on the test's own pool loop.
#include "supervisor/net/connection_log.h"
#include "supervisor/net/io_thread.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include "supervisor/config/config.h"
#include "supervisor/metrics/metrics.h"
#include "tests/support/line_client.h"
#include "tests/support/wait.h"

namespace fibpool::supervisor {
namespace {

namespace asio = boost::asio;

// The pool as the drain needs it: answers every job (on its loop, after
// Submit) until it is stopped, then refuses with shutting_down, as
// WorkerPool does. Records what reaches it, in order. Pool loop only; the
// record is read under the lock.
class StoppingPool : public JobExecutor {
 public:
  explicit StoppingPool(asio::any_io_executor executor) : executor_(std::move(executor)) {}

  std::uint64_t Submit(const JobSpec& spec, const std::string&, JobCallback callback) override {
    const std::uint64_t n = spec.n;
    Record("submit " + std::to_string(n));
    if (stopped_) {
      asio::post(executor_, [callback = std::move(callback)] {
        callback(JobResult::Error(AnswerError::kShuttingDown, "the server is draining"));
      });
      return 0;
    }
    asio::post(executor_, [callback = std::move(callback), n] {
      callback(JobResult{{}, AnswerPayload("answer to " + std::to_string(n))});
    });
    return next_id_++;
  }
  void Abandon(std::uint64_t) override {}

  void Stop() {
    Record("drained");
    stopped_ = true;
  }
  std::vector<std::string> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  void Record(std::string event) {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
  }

  asio::any_io_executor executor_;
  bool stopped_ = false;
  std::uint64_t next_id_ = 1;
  mutable std::mutex mutex_;
  std::vector<std::string> events_;
};

TEST(IoThread, ADrainHandledInTheTurnThatReadARequestStopsThePoolOnlyAfterItsJob) {
  asio::io_context pool_io;
  auto pool_work = asio::make_work_guard(pool_io);
  std::thread pool_thread([&] { pool_io.run(); });
  StoppingPool pool(pool_io.get_executor());
  Metrics metrics;
  std::atomic<IoThread*> thread{nullptr};
  ConnectionLog log(pool_io.get_executor(), 0);  // the access log off
  ConnectionEnv env;
  env.metrics = &metrics;
  env.log = &log;
  // `stats`, answered on the I/O thread itself (no stats_executor), asks for
  // the drain from inside the read that also brings the next request: the
  // drain is handled in the same turn as that request's job, before the
  // gate has sent it.
  env.stats = [&] {
    thread.load()->Drain([&] { pool.Stop(); });
    return std::string("{}");
  };
  {
    IoThread io_thread(env, &pool, pool_io.get_executor(), [] {}, Config{}.supervisor_spin);
    thread = &io_thread;
    asio::io_context accept_io;
    asio::ip::tcp::acceptor acceptor(accept_io, {asio::ip::make_address("127.0.0.1"), 0});
    testing::LineClient client(acceptor.local_endpoint().port());
    asio::ip::tcp::socket socket(io_thread.context());
    acceptor.accept(socket);
    // Counted by no ClientConnections.
    io_thread.Adopt(std::move(socket), "127.0.0.1", ClientSlot{});

    client.Send("stats\n10\n");
    EXPECT_EQ(client.ReadLine(), "{}");
    EXPECT_EQ(client.ReadLine(), "answer to 10") << "a request read before the drain";
    EXPECT_TRUE(client.WaitForClose()) << "a drained connection closes once answered";
    EXPECT_EQ(pool.events(), (std::vector<std::string>{"submit 10", "drained"}));
  }
  pool_work.reset();
  pool_thread.join();
}

}  // namespace
}  // namespace fibpool::supervisor
