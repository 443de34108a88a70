// The benchmark baseline's event loop: fibpool's own event loop and protocol
// (supervisor::Connection, one Asio io_context, one thread) with an
// InlineExecutor behind it instead of the worker pool. Same parser, same
// connection code, same writes; only the pool (queue hop, worker wake-up,
// result pipe) is missing. fibpool-baseline runs one of these, or one per
// thread (BaselineLoops), each with its own acceptor on the same port.
//
// Lifetime: construct, Start(), run the io_context; Stop() closes the
// acceptor and drains the connections (each answers what it has read, then
// closes), after which the io_context runs out of work and run() returns.
// The constructor throws on bind/listen failure (start-up); nothing on the
// serving path throws.
//
// Threading: everything (executor, metrics, connections) belongs to the
// io_context's one thread; loops share nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "bench/inline_executor.h"
#include "supervisor/metrics/metrics.h"
#include "supervisor/net/connection_env.h"
#include "supervisor/net/connection_log.h"
#include "supervisor/net/connection_manager.h"

namespace fibpool::bench {

struct BaselineOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::uint64_t max_n = 100'000'000;
  std::size_t max_line = 1024;
  std::size_t max_inflight = 1024;
};

// Which of a server's event loops this one is. With more than one, every
// loop's acceptor sets SO_REUSEPORT and the kernel spreads new connections
// over them by a hash of the addresses and ports.
struct LoopIndex {
  unsigned index = 0;
  unsigned count = 1;
};

class BaselineServer {
 public:
  // `stats` answers this loop's own figures, with its index and the count.
  BaselineServer(boost::asio::io_context& io, const BaselineOptions& options, LoopIndex loop);
  BaselineServer(const BaselineServer&) = delete;
  BaselineServer& operator=(const BaselineServer&) = delete;

  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  void Start();
  void Stop();

 private:
  void Accept();

  boost::asio::ip::tcp::acceptor acceptor_;
  InlineExecutor executor_;
  supervisor::Metrics metrics_;
  supervisor::ConnectionLog log_{acceptor_.get_executor(), 0};  // no access log
  supervisor::ConnectionEnv env_;
  supervisor::ConnectionManager connections_{&metrics_};
  bool stopping_ = false;
};

}  // namespace fibpool::bench
