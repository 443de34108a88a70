// Process-shared futex wait/wake on a 32-bit word in shared memory. The word
// may live in any MAP_SHARED mapping; processes may map it at different
// addresses. A process that dies while waiting leaves nothing behind (the
// kernel drops it from the wait queue), unlike a pthread condition variable,
// whose shared state a dead waiter corrupts.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace fibpool::os {

// Sleeps while *word == expected, for at most `timeout`. Returns early on a
// wake, a signal, a spurious wake-up, or when *word != expected at entry:
// callers re-check their condition in a loop.
void FutexWait(std::atomic<std::uint32_t>* word, std::uint32_t expected,
               std::chrono::nanoseconds timeout);

// Wakes up to `count` waiters sleeping on `word`.
void FutexWake(std::atomic<std::uint32_t>* word, int count);

}  // namespace fibpool::os
