// fibpool-baseline's event loops: one BaselineServer per loop, each with its
// own io_context, acceptor, InlineExecutor, Metrics and connections, all
// listening on one port. With one loop it is the single-threaded baseline;
// with one per CPU it is the per-core baseline, the fair limit of a server
// that uses every core (no IPC, computing inline). With more than one loop
// the acceptors set SO_REUSEPORT and the kernel spreads new connections over
// them by a hash of the connection's addresses and ports; a connection stays
// on the loop that accepted it.
//
// Lifetime: construct (binds every acceptor), Run() on one thread: it runs
// loop 0 there and every other loop on a thread of its own, and returns once
// all of them have run out of work, which they do after Stop(). The
// destructor must not run while Run() runs (it joins nothing).
//
// Failure: the constructor throws on bind/listen failure (start-up); a loop
// thread that cannot be started makes Run() throw std::system_error after
// stopping and joining the loops already running.
#pragma once

#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "bench/baseline_server.h"

namespace fibpool::bench {

class BaselineLoops {
 public:
  // `count` >= 1 loops; when options.port is 0, loop 0 picks a free port and
  // the others bind to it.
  BaselineLoops(const BaselineOptions& options, unsigned count);
  BaselineLoops(const BaselineLoops&) = delete;
  BaselineLoops& operator=(const BaselineLoops&) = delete;
  ~BaselineLoops();

  boost::asio::ip::tcp::endpoint local_endpoint() const;
  unsigned size() const { return static_cast<unsigned>(loops_.size()); }
  // Loop 0's io_context, which Run() runs on the calling thread: a
  // signal_set waiting on it calls Stop() from there.
  boost::asio::io_context& first_io() { return loops_.front()->io; }

  void Run();
  // Every loop closes its acceptor and drains its connections (each answers
  // what it has read, then closes), on its own thread. Callable from any
  // thread, more than once.
  void Stop();

 private:
  struct Loop {
    boost::asio::io_context io;
    std::unique_ptr<BaselineServer> server;
  };
  std::vector<std::unique_ptr<Loop>> loops_;
};

}  // namespace fibpool::bench
