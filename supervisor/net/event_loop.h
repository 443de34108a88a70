// How a supervisor thread runs its io_context: like io_context::run(), but
// after handlers ran it keeps looking for more (io_context::poll) for up to
// `spin` before it blocks in the reactor. An answer usually follows a
// request within microseconds (the worker's result, the client's next
// request), and on a VM a thread that blocks lets its vCPU halt, which costs
// tens of microseconds to wake; spinning across that gap keeps the thread
// on its CPU (BENCHMARKS.md: one connection's p50 went from 67 to 41 µs).
// Between looks it yields the CPU, and it does not spin while another
// program wants this CPU (os/polite_spin.h). `spin` 0: io_context::run().
//
// Returns, as run() does, when the io_context is stopped or out of work;
// an exception from a handler propagates, as from run().
#pragma once

#include <chrono>

#include <boost/asio/io_context.hpp>

namespace fibpool::supervisor {

void RunEventLoop(boost::asio::io_context& io, std::chrono::microseconds spin);

}  // namespace fibpool::supervisor
