// How a supervisor thread runs its io_context: like io_context::run(), but
// when no handler is ready it may keep looking for more (io_context::poll)
// for up to `spin` before it blocks in the reactor. An answer often follows
// a request within microseconds (the worker's result, the client's next
// request), and on a VM a thread that blocks lets its vCPU halt, which costs
// tens of microseconds to wake; spinning across that gap keeps the thread
// on its CPU. Between looks it yields the CPU, and it does not spin while
// another program wants this CPU (os/polite_spin.h). Whether to spin before
// a given wait is SpinBackOff's decision: spins that find nothing make the
// next ones rarer, so a loop whose events are far apart (jobs of
// milliseconds) hardly spins at all. `spin` 0: io_context::run().
//
// Returns, as run() does, when the io_context is stopped or out of work;
// an exception from a handler propagates, as from run().
#pragma once

#include <chrono>

#include <boost/asio/io_context.hpp>

namespace fibpool::supervisor {

// Whether the next wait for events starts with a spin. Every spin that
// finds an event makes the next wait spin too; one that finds nothing
// skips the spin of the next `skip` waits, `skip` doubling with each
// spin that finds nothing in a row, up to kMaxSkip. Pure.
class SpinBackOff {
 public:
  static constexpr unsigned kMaxSkip = 64;

  // The next wait: spin first?
  bool SpinNext();
  // The spin that SpinNext() allowed found an event (`hit`) or not.
  void Spun(bool hit);

 private:
  unsigned skip_ = 0;     // waits left to skip
  unsigned backoff_ = 0;  // the skip after the next miss is twice this
};

void RunEventLoop(boost::asio::io_context& io, std::chrono::microseconds spin);

}  // namespace fibpool::supervisor
