// How the pool lays out its workers: each lane's queue in shared memory has
// kMaxWorkers worker cells, one per worker the lane can have, and the pool
// numbers a worker by its slot, lane * kMaxWorkers + cell (worker_slots.h).
// The largest `workers` setting is this number of cells.
#pragma once

namespace fibpool::supervisor {

inline constexpr unsigned kMaxWorkers = 256;

}  // namespace fibpool::supervisor
