// One of the supervisor's I/O threads (io_threads > 1): an io_context run by
// a thread of its own, holding the client connections the acceptor hands it,
// with a PoolGate in front of the pool for their jobs.
//
// The acceptor (on the pool's thread) accepts each socket onto the context()
// of the thread with the fewest connections (live()) and hands it over with
// Adopt(); from then on the connection, its timers and its answers live on
// this thread only. A connection counts in live() from Adopt() until it
// closes; when the last one closes, on_empty is posted to the pool's
// executor, so that the server can tell when a drain is over.
//
// Lifetime: the thread runs from construction until destruction, which
// stops and joins it; pending handlers are then destroyed unrun. The pool,
// the metrics and the server's handlers outlive it. Nothing here throws on
// the serving path.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "supervisor/net/client_connections.h"
#include "supervisor/net/connection_env.h"
#include "supervisor/net/connection_log.h"
#include "supervisor/net/connection_manager.h"
#include "supervisor/net/pool_gate.h"

namespace fibpool::supervisor {

class IoThread {
 public:
  // `env` is copied, its executor, manager and log replaced by this
  // thread's (with the same access log share); `pool` runs on
  // `pool_executor`, where on_empty is also called. The thread runs its loop
  // with RunEventLoop(`spin`) (event_loop.h).
  IoThread(const ConnectionEnv& env, JobExecutor* pool, boost::asio::any_io_executor pool_executor,
           std::function<void()> on_empty, std::chrono::microseconds spin);
  ~IoThread();
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;

  // Where the acceptor puts the sockets this thread will own.
  boost::asio::io_context& context() { return io_; }
  // From the acceptor's thread: counts `socket` (accepted onto context())
  // and starts its connection here, holding `client` (its place in the
  // counts by address, taken at accept); `peer` is FlowKeyOf the socket.
  void Adopt(boost::asio::ip::tcp::socket socket, std::string peer, ClientSlot client);
  // Every connection of this thread drains (Connection::Drain); `done` then
  // runs on the pool's executor, after every job and abandon the thread's
  // connections submitted before (PoolGate::Notify), those of the loop turn
  // in which Drain() was called included.
  void Drain(std::function<void()> done);
  // Connections handed over and not yet closed.
  std::size_t live() const {
    return handing_over_.load(std::memory_order_relaxed) + connections_.size();
  }

 private:
  boost::asio::io_context io_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  boost::asio::any_io_executor pool_executor_;
  std::function<void()> on_empty_;
  ConnectionLog log_;
  PoolGate gate_;
  ConnectionManager connections_;
  ConnectionEnv env_;
  std::atomic<std::size_t> handing_over_{0};  // adopted, not yet started
  std::thread thread_;
};

}  // namespace fibpool::supervisor
