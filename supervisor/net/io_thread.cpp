#include "supervisor/net/io_thread.h"

#include <memory>
#include <utility>

#include <boost/asio/post.hpp>

#include "supervisor/net/event_loop.h"

namespace fibpool::supervisor {

namespace asio = boost::asio;

IoThread::IoThread(const ConnectionEnv& env, JobExecutor* pool, asio::any_io_executor pool_executor,
                   std::function<void()> on_empty, std::chrono::microseconds spin)
    : work_(io_.get_executor()),
      pool_executor_(std::move(pool_executor)),
      on_empty_(std::move(on_empty)),
      log_(io_.get_executor(), env.log->access().share()),
      gate_(pool, pool_executor_, io_.get_executor()),
      connections_(env.metrics, [this] { asio::post(pool_executor_, on_empty_); }),
      env_(env) {
  env_.executor = &gate_;
  env_.manager = &connections_;
  env_.log = &log_;
  // Makes the loop's reactor (its epoll, eventfd and timerfd descriptors)
  // now rather than with its first connection: the supervisor's descriptors
  // then stay the same while connections come and go.
  asio::ip::tcp::socket reactor_user(io_);
  thread_ = std::thread([this, spin] { RunEventLoop(io_, spin); });
}

IoThread::~IoThread() {
  work_.reset();
  io_.stop();
  thread_.join();
}

void IoThread::Adopt(asio::ip::tcp::socket socket, std::string peer, ClientSlot client) {
  handing_over_.fetch_add(1, std::memory_order_relaxed);
  asio::post(io_, [this, socket = std::move(socket), peer = std::move(peer),
                   client = std::move(client)]() mutable {
    connections_.Accept(env_, std::move(socket), std::move(peer), std::move(client));
    handing_over_.fetch_sub(1, std::memory_order_relaxed);
    // A connection that closed within Start() left while it still counted.
    if (connections_.empty()) asio::post(pool_executor_, on_empty_);
  });
}

void IoThread::Drain(std::function<void()> done) {
  asio::post(io_, [this, done = std::move(done)]() mutable {
    connections_.DrainAll();
    // Through the gate: after the calls of this turn (and of the handlers
    // that ran before this one), which the gate has not sent yet.
    gate_.Notify(std::move(done));
  });
}

}  // namespace fibpool::supervisor
