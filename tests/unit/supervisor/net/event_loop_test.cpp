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

TEST(SpinBackOff, SpinsWhileSpinsFindEvents) {
  SpinBackOff b;
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(b.SpinNext());
    b.Spun(/*hit=*/true);
  }
}

// How many of the next `waits` SpinBackOff lets spin, every spin a miss.
int SpinsAmongMisses(SpinBackOff& b, int waits) {
  int spins = 0;
  for (int i = 0; i < waits; ++i) {
    if (!b.SpinNext()) continue;
    ++spins;
    b.Spun(/*hit=*/false);
  }
  return spins;
}

TEST(SpinBackOff, MissesInARowSkipTwiceAsManyWaitsEachUpToTheMost) {
  SpinBackOff b;
  // Spin, skip 1, spin, skip 2, spin, skip 4, spin, skip 8: 4 spins in 19 waits.
  EXPECT_EQ(SpinsAmongMisses(b, 19), 4);
  // Then one spin in every kMaxSkip + 1 waits, once the skip is at its most.
  SpinBackOff settled;
  SpinsAmongMisses(settled, 1000);
  EXPECT_EQ(SpinsAmongMisses(settled, 10 * (SpinBackOff::kMaxSkip + 1)), 10);
}

TEST(SpinBackOff, AHitAfterMissesSpinsAtTheNextWaitAgain) {
  SpinBackOff b;
  SpinsAmongMisses(b, 1000);
  while (!b.SpinNext()) {
  }
  b.Spun(/*hit=*/true);
  EXPECT_TRUE(b.SpinNext());
  b.Spun(/*hit=*/false);
  EXPECT_FALSE(b.SpinNext());  // one miss after a hit skips one wait
  EXPECT_TRUE(b.SpinNext());
}

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
