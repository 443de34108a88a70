// The soak's mixed load: one thread per client, each a kind of client
// fibpool must serve, checking every answer (soak_verdict.h) into a
// SoakTally:
//
//   tiny (x2)      closed loop, `N fast` for N <= 20, 1 ms apart; every few
//                  hundred requests the connection closes (half the time
//                  with `quit`, whose `bye` and close are checked) and a new
//                  one is made. Their latencies are the tiny-job p99.
//   pipelined      16 requests in one write (`N`, `fib N`, `N fast`,
//                  `FIB N FAST` with CR LF, `N recursive` for N <= 22,
//                  `ping`, and blank lines, which get no answer), then the 16
//                  answers, in order.
//   recursive      `25 recursive` .. `30 recursive`, closed loop.
//   big-slow (x2)  `10000000 fast`, and one client every fourth time
//                  `100000000 fast`, read 8 KiB at a time with a 1 ms pause;
//                  checked by length and hash against F(N) computed in the
//                  bench (answer_digest.h); after an allowed error, a 1 s
//                  pause (a quarantined input is refused at once).
//   reset          the connection reset (SO_LINGER 0) before the answer
//                  (`10000000 fast` or `100000000 fast`), or once the answer
//                  streams (`10000000 fast`).
//   no-newline     the articles' clients: `N` without a newline, the answer
//                  read before the next (docs/protocol.md, "Requests without
//                  a newline"); five per connection.
//   malformed      lines fibpool must refuse, each with its exact answer, a
//                  valid one between them, then a line over max_line: `ERR
//                  line_too_long ...` and the server's close.
//   slow-typist    `ping`, then requests sent a byte at a time, 2-5 ms apart.
//   churn          connect, `ping`, close or reset, again and again.
//
// A request unanswered by its deadline (60 s; 120 s for a recursive job;
// 300 s for a big one: F(10^8) on a crowded 2-core machine), or whose
// connection the server closed, is lost; the client then connects anew.
//
// Lifetime: Start() starts the threads; Stop() asks each to finish the
// request it is on and end; Join() waits for them (bounded by the
// deadlines). The destructor stops and joins. `expected` and `tally` must
// outlive the load.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "bench/answer_digest.h"
#include "bench/soak_tally.h"

namespace fibpool::bench {

// The answers the soak expects, computed in the bench by GMP fast doubling
// (tests/support/fib_reference.h), independently of the worker's code.
struct SoakExpected {
  std::vector<std::string> small;  // F(0) .. F(93)
  AnswerDigest f1e7;               // F(10^7)
  AnswerDigest f1e8;               // F(10^8)

  static SoakExpected Compute();
};

class SoakLoad {
 public:
  SoakLoad(boost::asio::ip::tcp::endpoint endpoint, const SoakExpected& expected, SoakTally* tally);
  ~SoakLoad();
  SoakLoad(const SoakLoad&) = delete;
  SoakLoad& operator=(const SoakLoad&) = delete;

  void Start();
  void Stop() { stop_.store(true); }
  void Join();

 private:
  boost::asio::ip::tcp::endpoint endpoint_;
  const SoakExpected& expected_;
  SoakTally* tally_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

}  // namespace fibpool::bench
