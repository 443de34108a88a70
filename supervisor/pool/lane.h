// One lane of the pool: a job queue in its own shared-memory segment, the
// count of workers that take from it, and the jobs pushed to it and not yet
// resolved, with their load (LaneLoad, what the dispatch policy decides on).
//
// Counters never wrap: resolving a job the lane does not hold, or an exit
// it was not told of, changes nothing; workers that die without taking the
// resize sentinels queued for them leave those sentinels counted (the next
// workers to start take them), so the lane spawns enough to stay at its
// target.
//
// Ownership: owns the segment (unlinked on destruction) and the queue in it;
// not the worker processes, which the pool owns and reports here.
// Not thread-safe: used on the supervisor's event loop only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ipc/job.h"
#include "ipc/job_queue.h"
#include "os/posix_error.h"
#include "os/shared_segment.h"
#include "supervisor/sched/dispatch_policy.h"

namespace fibpool::supervisor {

class Lane {
 public:
  Lane() = default;
  // Creates segment `name` holding a queue of `capacity` jobs and `cells`
  // worker cells; a segment of that name is a dead namesake's leftover and is
  // removed first. Failure behaviour: the error of SharedSegment::Create or
  // JobQueue::Format (os/posix_error.h); nothing is left behind.
  static os::Result<Lane> Create(const std::string& name, std::uint32_t capacity,
                                 std::uint32_t cells);
  // Start-up, which cannot go on without its lanes: Create(), or a
  // boost::system::system_error naming the segment.
  static Lane CreateOrThrow(const std::string& name, std::uint32_t capacity, std::uint32_t cells);

  const std::string& segment_name() const { return segment_.name(); }
  ipc::JobQueue& queue() { return *queue_; }
  const ipc::JobQueue& queue() const { return *queue_; }

  // Pushes a compute job and counts it in the load; false (nothing counted)
  // when the queue is full.
  bool Push(const ipc::Job& job, bool big);
  // Pushed job `job_id` is resolved (answered, requeued or lost with its
  // worker); a job the lane does not hold changes nothing.
  void Resolve(std::uint64_t job_id);
  // The load as dispatch sees it: `ready` leaves out the workers that will
  // take a resize sentinel queued for them, since a job pushed behind that
  // sentinel waits for one of the others.
  LaneLoad load() const;
  // The pushed jobs, not resolved, that neither the queue holds nor a worker
  // has claimed (ipc::JobQueue::HeldJobs), appended to *ids: jobs whose slot
  // did not decode (the worker that took it dropped it), or whose answer is
  // on its way in a worker's pipe.
  void AppendUnaccounted(std::vector<std::uint64_t>* ids) const;
  // The estimated work pushed and not finished at `now_ns`: the jobs'
  // estimates less what the running ones have run (each at most its estimate).
  std::uint64_t UnfinishedWork(std::uint64_t now_ns) const;

  // Clears worker cell `cell` for a new worker.
  void ResetCell(std::uint32_t cell);
  // After the worker of `cell` died: repairs the queue (it may have died
  // holding the lock) and returns the jobs it had claimed, `*running` the
  // one it was running (0: none). If the queue's lock is broken
  // (os/robust_mutex.h) it cannot repair: it logs event=queue_broken and
  // returns the claims all the same, so that no job is lost (a job left both
  // queued and claimed may then run twice; only its first answer counts).
  std::vector<std::uint64_t> Reclaim(std::uint32_t cell, std::uint64_t* running);

  // Workers: the pool reports each spawn, ready message and exit.
  void OnSpawned() { ++live_; }
  void OnReady() { ++load_.ready; }
  void OnExited(bool was_ready, bool took_resize_sentinel);
  unsigned live() const { return live_; }
  // Ready workers that are not retiring (as in load()).
  unsigned ready() const { return static_cast<unsigned>(load().ready); }
  unsigned target() const { return target_; }
  void set_target(unsigned target) { target_ = target; }
  // Workers to spawn to reach the target, not counting those retiring.
  unsigned Missing() const;
  // Queues a sentinel for each worker above the target (the pool shrinks
  // without losing a job); returns how many.
  unsigned RetireExtra();
  // Queues one sentinel per live worker that has none yet and wakes them all;
  // returns how many sentinels it queued (fewer when the queue is full).
  unsigned SendStopSentinels();

 private:
  struct Pushed {
    std::uint64_t cost_ns;
    bool big;
  };
  // Live workers less those retiring; negative while more resize sentinels
  // wait in the queue than workers live to take them.
  std::int64_t Staying() const;

  os::SharedSegment segment_;
  std::optional<ipc::JobQueue> queue_;
  LaneLoad load_;
  std::unordered_map<std::uint64_t, Pushed> pushed_;  // by job id, until resolved
  unsigned target_ = 0;
  unsigned retiring_ = 0;  // resize sentinels queued and not yet taken
  unsigned live_ = 0;      // worker processes
};

}  // namespace fibpool::supervisor
