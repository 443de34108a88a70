// Finds the jobs the pool has pushed to a lane and will never hear of again:
// no queue holds them and no worker has claimed them, yet no answer came. A
// job whose queue slot does not decode is one: the worker that takes it
// drops it (ipc::JobQueue::PopBatch) and nobody else would ever answer it.
//
// A job that is merely unaccounted for at one sweep may have its answer on
// the way (written to its worker's pipe, claims cleared, not yet read by
// the pool), so a job counts as lost only once it has been unaccounted for
// at every sweep for `grace`: the pool's event loop reads a worker's pipe
// long before that.
//
// Pure: the caller lists what is unaccounted for and says when. Not
// thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace fibpool::supervisor {

// How long a job stays unaccounted for before it counts as lost.
inline constexpr std::chrono::milliseconds kLostJobGrace{1'000};

class LostJobSweep {
 public:
  explicit LostJobSweep(std::chrono::nanoseconds grace = kLostJobGrace) : grace_(grace) {}

  // `unaccounted`: the jobs found in no queue and no claim now, at `now_ns`
  // (os::MonotonicNanos). Returns the lost ones: those unaccounted for at
  // every sweep since at least `grace` ago. A job listed is forgotten once
  // returned, or as soon as a sweep does not list it.
  std::vector<std::uint64_t> Sweep(const std::vector<std::uint64_t>& unaccounted,
                                   std::uint64_t now_ns);

 private:
  std::chrono::nanoseconds grace_;
  std::unordered_map<std::uint64_t, std::uint64_t> since_;  // job id -> first sweep that missed it
};

}  // namespace fibpool::supervisor
