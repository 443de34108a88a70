// The worker processes by slot: slot lane * kMaxWorkers + cell holds the
// worker that owns cell `cell` of lane `lane`'s queue, with what the pool
// knows about it (ready, why it killed it, jobs done, start time).
//
// Ownership: owns the WorkerProcess handles; destroying the slots kills and
// reaps whatever still runs. Not thread-safe: the supervisor's event loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "ipc/job_queue.h"
#include "supervisor/config/config.h"
#include "supervisor/config/slot_layout.h"
#include "supervisor/pool/job_table.h"
#include "supervisor/pool/pool_snapshot.h"
#include "supervisor/pool/worker_exit.h"
#include "supervisor/pool/worker_process.h"

namespace fibpool::supervisor {

class WorkerSlots {
 public:
  struct Worker {
    std::shared_ptr<WorkerProcess> process;  // empty: the slot is free
    bool ready = false;
    KillCause killed = KillCause::kNone;  // why the pool killed it, if it did
    std::uint64_t jobs_done = 0;
    std::uint64_t spawned_ns = 0;
    std::uint64_t job_cpu_ns = 0;      // the CPU time of its jobs, as it measured them
    std::uint64_t peak_rss_bytes = 0;  // its peak resident size, as its last job reported
  };

  explicit WorkerSlots(std::size_t lanes) : workers_(lanes * kMaxWorkers) {}
  ~WorkerSlots();
  WorkerSlots(const WorkerSlots&) = delete;
  WorkerSlots& operator=(const WorkerSlots&) = delete;

  static std::size_t LaneOf(std::uint32_t slot) { return slot / kMaxWorkers; }
  static std::uint32_t CellOf(std::uint32_t slot) { return slot % kMaxWorkers; }
  static std::uint32_t SlotOf(std::size_t lane, std::uint32_t cell) {
    return static_cast<std::uint32_t>(lane * kMaxWorkers + cell);
  }

  std::uint32_t size() const { return static_cast<std::uint32_t>(workers_.size()); }
  Worker& operator[](std::uint32_t slot) { return workers_[slot]; }
  const Worker& operator[](std::uint32_t slot) const { return workers_[slot]; }
  // Empties the slot; returns what it held.
  Worker Vacate(std::uint32_t slot);
  // SIGKILL, remembering why; a worker is killed once, its exit follows.
  void Kill(std::uint32_t slot, KillCause cause);
  void KillAll(KillCause cause);

  // The lane's workers as `stats` shows them, with the algorithm and N of
  // the jobs they run that `jobs` still holds; `queue` is the lane's queue.
  std::vector<WorkerView> Views(std::size_t lane, const ipc::JobQueue& queue,
                                const JobTable& jobs) const;

 private:
  std::vector<Worker> workers_;
};

}  // namespace fibpool::supervisor
