// What fibpool-rogue-worker (rogue_worker.cpp) does wrong, shared with the
// tests that start it. Header-only.
#pragma once

#include <cstdint>

namespace fibpool::testing {

// The n whose Result frame names the worker's job queue as its result buffer.
inline constexpr std::uint64_t kRogueN = 31337;

}  // namespace fibpool::testing
