// RunEventLoop in place of io_context::run(), spinning or not: the same
// handlers run (posted, timers, from another thread), it returns when the
// context runs out of work or is stopped, and exceptions come through. What
// the spin saves (wake-ups) is measured by fibpool-bench, not here.
#include "supervisor/net/event_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace fibpool::supervisor {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

class EventLoop : public ::testing::TestWithParam<int> {
 protected:
  microseconds spin() const { return microseconds(GetParam()); }
};

TEST_P(EventLoop, RunsEveryHandlerIncludingTheOnesTheyPostAndTimersThenReturns) {
  boost::asio::io_context io;
  int ran = 0;
  boost::asio::steady_timer timer(io, milliseconds(5));
  timer.async_wait([&](boost::system::error_code) { ++ran; });
  boost::asio::post(io, [&] {
    ++ran;
    boost::asio::post(io, [&] { ++ran; });
  });
  RunEventLoop(io, spin());  // returns once out of work
  EXPECT_EQ(ran, 3);
  EXPECT_TRUE(io.stopped());
}

TEST_P(EventLoop, StopFromAHandlerEndsItWithWorkLeft) {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  boost::asio::post(io, [&] { io.stop(); });
  RunEventLoop(io, spin());
  EXPECT_TRUE(io.stopped());
}

TEST_P(EventLoop, AHandlerPostedFromAnotherThreadRunsAndItsExceptionComesThrough) {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  std::thread other([&] {
    boost::asio::post(io, [] { throw std::runtime_error("from a handler"); });
  });
  EXPECT_THROW(RunEventLoop(io, spin()), std::runtime_error);
  other.join();
}

// 0: io_context::run(); 30: the default's order; 10000: the most it may be.
INSTANTIATE_TEST_SUITE_P(Spin, EventLoop, ::testing::Values(0, 30, 10'000));

}  // namespace
}  // namespace fibpool::supervisor
