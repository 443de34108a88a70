// How many jobs each worker runs before it is recycled (max_jobs_per_worker),
// spread so that the workers of a lane, started together and fed evenly,
// never all reach their limit at once (as gunicorn's max_requests_jitter):
// a worker's limit lies in [N, N + N/10], and each cell of a lane has its own
// part of that range, so two cells' limits differ by at least
// N / (20 x workers) jobs. A replacement gets a new draw in its cell's part.
#pragma once

#include <cstdint>

namespace fibpool::supervisor {

// The limit of the worker in `cell` (0-based) of a lane of `workers`, for a
// setting of `limit` (0: never, and 0 is returned) and a random `draw` in
// [0, 1): N + (N/10) x (cell + draw/2) / workers. A cell beyond `workers`
// (a lane being resized) wraps around. Pure.
std::uint64_t SpreadRecycleLimit(std::uint64_t limit, std::uint32_t cell, unsigned workers,
                                 double draw);

// A draw for SpreadRecycleLimit, uniform in [0, 1). Thread-safe (one
// generator per thread).
double RecycleDraw();

}  // namespace fibpool::supervisor
