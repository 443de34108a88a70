// Waiting for an observable condition with a deadline: the tests' only way
// to synchronise with other processes (never a bare sleep).
#pragma once

#include <chrono>
#include <thread>

namespace fibpool::testing {

// Polls `condition` until it holds or `timeout` passes; returns whether it held.
template <class Condition>
bool WaitFor(Condition&& condition, std::chrono::milliseconds timeout,
             std::chrono::milliseconds poll = std::chrono::milliseconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(poll);
  }
}

}  // namespace fibpool::testing
