// fibpool-minimal's server: the physical-limit reference of fibpool-bench.
// One event loop per thread, each with its own SO_REUSEPORT listening socket
// on the same port and its own level-triggered epoll set; non-blocking
// sockets with TCP_NODELAY. A loop reads, splits the bytes into lines on LF
// (a partial line waits for the next read), answers each line inline
// (AppendAnswer) and writes the answers of one read in one send; what the
// socket does not take waits for EPOLLOUT, and the connection is not read
// meanwhile. No Asio, no pool, no limits beyond the line length.
//
// With read_per_request (for the articles' perf1/perf2 clients, which send
// `30` or `1` without a newline), a read holding no LF on a connection that
// has never sent one is one request, answered at once, as the classic fib
// server's `recv(100)` took it; fibpool answers the first such request only
// after a 20 ms pause, to tell it from a line split over two writes, which
// this mode would answer in halves. A connection's first LF makes it a line
// connection for good.
//
// Ownership: MinimalServer owns the listening sockets, the epoll sets and
// the stop eventfd; each loop owns its connections and their buffers, and
// loops share nothing but the port and the stop eventfd.
//
// Failure: the constructor throws std::system_error when a socket cannot be
// made, bound or listened on, and std::invalid_argument for a host that is
// not an IPv4 address (start-up only). On the serving path nothing throws:
// a request that is not `N`, `N fast` or `N recursive` with N <= 93 gets
// `ERR bad_request`; a line over 1024 bytes gets it too and the connection
// is closed; EOF or a read or write error closes that connection only; a
// failed accept (EMFILE, say) is left to the next readiness. Stop() closes
// every connection without draining it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "os/unique_fd.h"

namespace fibpool::bench {

// The answer to one request line (without its LF; a trailing CR is
// ignored), with its LF, appended to `out`: F(N) in decimal, computed by
// the naive recursion for `N recursive` and by addition for `N` and
// `N fast`; `ERR bad_request` for anything else. Pure.
void AppendAnswer(std::string_view line, std::string* out);

class MinimalServer {
 public:
  // Binds `loops` listening sockets to host:port (port 0: a free one,
  // shared by all).
  MinimalServer(const std::string& host, std::uint16_t port, unsigned loops,
                bool read_per_request);
  MinimalServer(const MinimalServer&) = delete;
  MinimalServer& operator=(const MinimalServer&) = delete;
  ~MinimalServer();

  std::uint16_t port() const { return port_; }
  unsigned size() const { return static_cast<unsigned>(loops_.size()); }
  // Runs every loop on a thread of its own; returns once all have stopped.
  void Run();
  // Makes every loop close its connections and return; any thread.
  void Stop();

 private:
  struct Loop {
    os::UniqueFd listener;
    os::UniqueFd epoll;
  };
  void Serve(const Loop& loop) const;

  std::vector<Loop> loops_;
  os::UniqueFd stop_;  // eventfd, readable once Stop() was called
  std::uint16_t port_ = 0;
  bool read_per_request_ = false;
};

}  // namespace fibpool::bench
