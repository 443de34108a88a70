// What a job is expected to cost before it runs, in nanoseconds of one core
// on the reference machine (BENCHMARKS.md). Used to order the backlog; an
// estimate off by a constant factor only shifts priorities, never answers.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ipc/job.h"

namespace fibpool::supervisor {

// recursive: about 1.618^n calls; fast: GMP's F(n) plus its decimal
// conversion, about n log n.
std::uint64_t EstimatedCostNanos(ipc::Algorithm algorithm, std::uint64_t n);

// Jobs estimated to cost more than this are "big": they never occupy the
// reserve workers, which stay free for cheap ones.
inline constexpr std::uint64_t kBigJobNanos = 20'000'000;

// A job's size class: big above kBigJobNanos, cheap otherwise.
enum class JobSize { kCheap, kBig };
inline constexpr std::size_t kJobSizeCount = 2;
JobSize SizeOf(std::uint64_t cost_ns);

// Upper bound of the answer line's size in bytes (digits and LF).
std::uint64_t EstimatedAnswerBytes(ipc::Algorithm algorithm, std::uint64_t n);

}  // namespace fibpool::supervisor
