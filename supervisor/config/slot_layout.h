// How the pool lays out its workers: each lane's queue in shared memory has
// kMaxWorkers worker cells, one per worker the lane can have, and the pool
// numbers a worker by its slot, lane * kMaxWorkers + cell (worker_slots.h).
// The largest `workers` setting is this number of cells.
#pragma once

#include <array>
#include <string_view>

namespace fibpool::supervisor {

inline constexpr unsigned kMaxWorkers = 256;

// The lanes by number (the main lane 0, the reserve lane 1), as logs name them.
inline constexpr std::array<std::string_view, 2> kLaneNames = {"main", "reserve"};

}  // namespace fibpool::supervisor
