// Which waiting jobs the pool may hand to which lane now, and how many
// workers to wake for what it handed over. Pure: the caller passes in the
// lanes' load and applies the decision.
//
// Main lane: a big job only when a main worker is free for it (no big job
// waits in the queue where a cheap one would queue behind it); cheap jobs
// also while nothing big is in the lane, up to kQueuedCostPerWorkerNs of
// estimated work per ready worker, so that a worker finishing a job finds the
// next without a round trip and takes tiny ones in batches.
// Reserve lane: cheap jobs the main lane cannot start at once, within the
// same per-worker budget.
#pragma once

#include <cstdint>

#include "ipc/job_queue.h"

namespace fibpool::supervisor {

// Estimated work a lane may hold ahead of its ready workers, per worker: two
// batches (ipc::kBatchCostNs), so that a worker finds the next batch waiting,
// and little enough that a job arriving later waits at most this long behind
// them.
inline constexpr std::uint64_t kQueuedCostPerWorkerNs = 2 * ipc::kBatchCostNs;

// What a lane holds: pushed and not yet resolved jobs, against its workers.
struct LaneLoad {
  std::uint64_t ready = 0;           // workers attached and ready
  std::uint64_t in_flight = 0;       // jobs pushed and not yet resolved
  std::uint64_t big_in_flight = 0;   // of which big
  std::uint64_t cost_in_flight = 0;  // their estimated cost, summed
};

struct Admission {
  bool big_to_main = false;
  bool cheap_to_main = false;
  bool cheap_to_reserve = false;

  bool operator==(const Admission&) const = default;
};

Admission Admit(const LaneLoad& main, const LaneLoad& reserve);

// Counts the takes workers will need for the jobs pushed to one lane, as
// JobQueue::PopBatch groups consecutive jobs up to ipc::kBatchCostNs: how
// many consumers to wake.
class WakeCounter {
 public:
  void Add(std::uint64_t cost_ns);
  int takes() const { return takes_; }

 private:
  int takes_ = 0;
  std::uint64_t take_cost_ = 0;
};

}  // namespace fibpool::supervisor
