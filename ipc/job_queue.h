// The bounded job queue in shared memory, and the per-worker "current job"
// cells beside it. Layout and protocol: doc/shared_memory.md.
//
// One producer (the supervisor) pushes; many consumers (the workers) pop.
// Ownership: JobQueue is a view; it does not own the memory, which must stay
// mapped while the view is used (the SharedSegment that holds it outlives it).
//
// Process safety: consumers serialise among themselves with a robust
// process-shared mutex; the producer never takes it. Every store that a
// consumer makes under the lock leaves the state consistent, in this order:
// copy the slot, publish the claim in its cell, advance head. A consumer killed
// anywhere in between leaves either the job still queued (it will run
// elsewhere) or the job queued *and* claimed by the dead worker, a state that
// Repair() undoes (and the supervisor still keeps only the first answer to a
// job, should one ever arrive twice). No job is ever taken without a claim, so the supervisor
// always knows which worker held which job when it died.
//
// Waiting: consumers spin briefly, then sleep on a futex word. Sleeps are
// bounded by the caller's `wait`, so a lost wake-up (for example one taken by
// a stopped process) costs at most one wait period, never a hang.
#pragma once

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "ipc/job.h"

namespace fibpool::ipc {

inline constexpr std::uint64_t kSegmentMagic = 0x316c6f6f70626966ULL;  // "fibpool1"
inline constexpr std::uint32_t kLayoutVersion = 1;
inline constexpr std::size_t kSlotBytes = 64;

// What one worker is doing, as it tells the supervisor without a syscall.
struct WorkerCell {
  std::atomic<std::uint64_t> job_id;      // job taken and not yet answered; 0 = none
  std::atomic<std::uint64_t> started_ns;  // MonotonicNanos() when it was taken
  std::atomic<std::int32_t> pid;          // worker's pid, written when it attaches
};

std::uint64_t MonotonicNanos();

class JobQueue {
 public:
  enum class PopStatus { kJob, kEmpty, kCorrupt };

  // Bytes a segment needs for this queue.
  static std::size_t BytesFor(std::uint32_t capacity, std::uint32_t cells);
  // Lays out a new queue in zeroed `memory` (the creator, before anyone attaches).
  // Throws std::invalid_argument when `size` is too small or capacity is 0.
  static JobQueue Format(void* memory, std::size_t size, std::uint32_t capacity,
                         std::uint32_t cells);
  // Attaches to a formatted queue; checks magic, version and sizes.
  static std::optional<JobQueue> Attach(void* memory, std::size_t size, std::string* why);

  // --- producer (a single process) ---
  // Appends `job`; false when the queue is full. Does not wake anyone.
  bool TryPush(const Job& job);
  // Wakes up to `count` sleeping consumers; no syscall when none sleeps.
  void WakeConsumers(int count);

  // --- consumers ---
  // Takes the oldest job. For a kCompute job, publishes the claim in `cell`
  // first. Spins for `spin`, then sleeps up to `wait` in total before
  // returning kEmpty. kCorrupt: the slot did not decode (the job is dropped and
  // the cell left free).
  PopStatus Pop(std::uint32_t cell, std::chrono::nanoseconds spin, std::chrono::nanoseconds wait,
                Job* out);
  // Clears the claim in `cell` once the job's answer has been sent.
  void FinishJob(std::uint32_t cell);

  // --- after a consumer died ---
  // Takes the consumers' lock and undoes a half-done take: a job that is
  // both claimed in some cell and still at the head is removed from the
  // queue, so that every job is either queued or claimed, never both. The
  // supervisor calls it before it reads a dead worker's claim; a consumer
  // that inherits a dead owner's lock does the same.
  void Repair();

  // --- anyone ---
  std::uint64_t Depth() const;
  std::uint32_t capacity() const;
  std::uint32_t cells() const;
  WorkerCell& cell(std::uint32_t index) const;
  // How many times a consumer found the lock's previous owner dead.
  std::uint64_t recoveries() const;
  // Runs fn() while holding the consumers' lock (tests: to die holding it).
  template <class Fn>
  void WithConsumerLock(Fn&& fn);

 private:
  struct Header;
  struct Control;
  struct Slot;
  JobQueue(Header* header, Control* control, WorkerCell* cells, Slot* slots)
      : header_(header), control_(control), cells_(cells), slots_(slots) {}
  bool TryTake(std::uint32_t cell, Job* out, bool* corrupt);
  void RepairLocked();
  pthread_mutex_t* mutex() const;

  Header* header_;
  Control* control_;
  WorkerCell* cells_;
  Slot* slots_;
};

}  // namespace fibpool::ipc

#include "ipc/robust_mutex.h"

template <class Fn>
void fibpool::ipc::JobQueue::WithConsumerLock(Fn&& fn) {
  RobustLock lock(mutex());
  fn();
}
