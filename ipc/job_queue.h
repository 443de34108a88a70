// The bounded job queue in shared memory, and the per-worker "claim" cells
// beside it. Layout and protocol: docs/shared_memory.md.
//
// One producer (the supervisor) pushes; many consumers (the workers) pop,
// one job or a batch of consecutive cheap ones at a time.
// Ownership: JobQueue is a view; it does not own the memory, which must stay
// mapped while the view is used (the os::SharedSegment that holds it outlives it).
//
// Process safety: consumers serialise among themselves with a robust
// process-shared mutex; the producer never takes it. Every store that a
// consumer makes under the lock leaves the state consistent, in this order:
// copy the slots, publish the claims in its cell, advance head. A consumer
// killed anywhere in between leaves either the jobs still queued (they will
// run elsewhere) or jobs queued *and* claimed by the dead worker, a state
// that Repair() undoes (and the supervisor still keeps only the first answer
// to a job, should one ever arrive twice). No job is ever taken without a
// claim, so the supervisor always knows which jobs a worker held when it
// died, and which one of them it was running.
//
// Waiting: one consumer at a time spins briefly, then sleeps on a futex word;
// the others sleep at once. Sleeps are bounded by the caller's `wait`, so a
// lost wake-up (for example one taken by a stopped process) costs at most one
// wait period, never a hang.
//
// Failure behaviour: errors are values, os::Result or an error code
// (os/posix_error.h): IpcError codes for a segment that is not this build's
// queue or a slot that does not decode, the robust mutex's error when its
// lock is broken for good (os/robust_mutex.h). Nothing here throws. A full
// queue is not an error: TryPush returns false.
#pragma once

#include <pthread.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "ipc/job.h"
#include "os/monotonic_clock.h"
#include "os/polite_spin.h"
#include "os/posix_error.h"

namespace fibpool::ipc {

inline constexpr std::uint64_t kSegmentMagic = 0x316c6f6f70626966ULL;  // "fibpool1"
// Versions the queue's layout, the Job encoding in its slots (job.h) and the
// pipe's frames (messages.h) together: a worker of another build fails to
// attach rather than misread a job or a frame.
inline constexpr std::uint32_t kLayoutVersion = 4;
inline constexpr std::size_t kSlotBytes = 64;
// The most jobs one take claims.
inline constexpr std::uint32_t kMaxBatch = 32;
// The estimated work a worker takes at once, beyond the first job: enough for
// a batch of tiny jobs (about 2 us each), a small delay for the jobs in it.
inline constexpr std::uint64_t kBatchCostNs = 64'000;

// What one worker holds and does, as it tells the supervisor without a syscall.
struct WorkerCell {
  std::atomic<std::uint64_t> job_id;      // the job it is running now; 0 = none
  std::atomic<std::uint64_t> started_ns;  // os::MonotonicNanos() when job_id started
  std::atomic<std::int32_t> pid;          // worker's pid, written when it attaches
  std::atomic<std::uint32_t> claimed;     // how many entries of `claims` are live
  // The compute jobs it took and has not answered yet (job_id among them).
  std::array<std::atomic<std::uint64_t>, kMaxBatch> claims;
};

// How much one take may claim beyond the oldest job (which it always takes):
// further compute jobs while their summed cost_ns stays within `cost_ns`, at
// most `jobs` in all.
struct TakeLimit {
  std::uint64_t cost_ns = 0;
  std::uint32_t jobs = kMaxBatch;
};

// The jobs one take returned, in queue order.
struct JobBatch {
  std::array<Job, kMaxBatch> jobs;
  std::uint32_t size = 0;
};

class JobQueue {
 public:
  // Bytes a segment needs for this queue.
  static std::size_t BytesFor(std::uint32_t capacity, std::uint32_t cells);
  // Lays out a new queue in zeroed `memory` (the creator, before anyone
  // attaches). IpcError::kSizeMismatch when `size` is too small or capacity
  // is 0; the error of os::InitRobustMutex.
  static os::Result<JobQueue> Format(void* memory, std::size_t size, std::uint32_t capacity,
                                     std::uint32_t cells);
  // Attaches to a formatted queue; checks magic, version and sizes:
  // IpcError::kBadMagic, kVersionMismatch or kSizeMismatch.
  static os::Result<JobQueue> Attach(void* memory, std::size_t size);

  // --- producer (a single process) ---
  // Appends `job`; false when the queue is full. Does not wake anyone.
  bool TryPush(const Job& job);
  // Makes sure that `count` consumers look at the queue: the one spinning
  // now, if any, counts as one; sleeping ones are woken for the rest. No
  // syscall when none is needed. A consumer that takes jobs and leaves some
  // queued wakes one more, so jobs pushed together spread over the workers.
  void WakeConsumers(int count);
  // The compute jobs the queue holds or a cell has claimed, appended to
  // *ids (a job may be listed twice). Read in an order that misses no job
  // a consumer takes meanwhile: the slots from head to tail (which only the
  // producer overwrites), then the claims, which a consumer publishes before
  // it advances head. Not listed: a job whose slot does not decode, and a
  // job whose consumer has answered it and cleared its claims (its answer
  // may still be on its way to the producer).
  void HeldJobs(std::vector<std::uint64_t>* ids) const;

  // --- consumers ---
  // Takes the oldest job, and after it the compute jobs that follow, within
  // `limit`. Compute jobs are claimed in `cell` before head moves. A
  // sentinel is only ever taken alone, and unclaimed.
  // Spins for `spin` (unless another consumer spins already, or a yield
  // came back a time slice late within the last second: another program
  // wants the CPU), then sleeps up to `wait` in total.
  // Returns how many jobs it took into *out, 0 when none came within `wait`.
  // Failure behaviour: IpcError::kCorruptJob when the oldest slot did not
  // decode (that job is dropped, nothing is claimed; the queue goes on); the
  // error of os::RobustLock::Acquire when the consumers' lock failed: the queue
  // is broken for good, and a consumer stops using it (a worker exits with
  // kExitQueueBroken).
  os::Result<std::uint32_t> PopBatch(std::uint32_t cell, std::chrono::nanoseconds spin,
                                     std::chrono::nanoseconds wait, TakeLimit limit, JobBatch* out);
  // PopBatch of one job: 1 with the job in *out, or 0.
  os::Result<std::uint32_t> Pop(std::uint32_t cell, std::chrono::nanoseconds spin,
                                std::chrono::nanoseconds wait, Job* out);
  // Marks the claimed job `job_id` as the one `cell` runs from now on (0:
  // none), with the start time the supervisor's timeouts count from.
  void StartJob(std::uint32_t cell, std::uint64_t job_id);
  // Clears every claim in `cell` once the answers have been sent.
  void FinishBatch(std::uint32_t cell);

  // --- after a consumer died ---
  // Takes the consumers' lock and undoes a half-done take: jobs at the head
  // that are also claimed in some cell are removed from the queue, so that
  // every job is either queued or claimed, never both. The supervisor calls
  // it before it reads a dead worker's claims; a consumer that inherits a
  // dead owner's lock does the same. Failure behaviour: the error of
  // os::RobustLock::Acquire; nothing was repaired, and the lock is broken for
  // every consumer too.
  boost::system::error_code Repair();
  // The claims in `cell`, cleared, and the spinning role if it died with it
  // (the supervisor, once the worker is dead and Repair() has run).
  // *running: the job it was running, or 0.
  std::vector<std::uint64_t> TakeClaims(std::uint32_t cell, std::uint64_t* running);

  // --- anyone ---
  std::uint64_t Depth() const;
  std::uint32_t capacity() const;
  std::uint32_t cells() const;
  WorkerCell& cell(std::uint32_t index) const;
  // How many times a consumer found the lock's previous owner dead.
  std::uint64_t recoveries() const;
  // How many consumers sleep on the futex now.
  std::uint32_t sleepers() const;
  // Runs fn() while holding the consumers' lock (tests: to die holding it);
  // the lock's error, without running fn(), when it cannot be taken.
  template <class Fn>
  boost::system::error_code WithConsumerLock(Fn&& fn);

 private:
  struct Header;
  struct Control;
  struct Slot;
  JobQueue(Header* header, Control* control, WorkerCell* cells, Slot* slots)
      : header_(header), control_(control), cells_(cells), slots_(slots) {}
  // PopBatch without waiting: 0 when the queue is empty.
  os::Result<std::uint32_t> TryTake(std::uint32_t cell, TakeLimit limit, JobBatch* out);
  std::optional<Job> DecodeSlot(std::uint64_t position) const;
  // Wakes one sleeping consumer if jobs are queued (after a take).
  void HandOn();
  bool IsClaimed(std::uint64_t job_id) const;
  void RepairLocked();
  pthread_mutex_t* mutex() const;

  Header* header_;
  Control* control_;
  WorkerCell* cells_;
  Slot* slots_;
  os::PoliteSpin polite_;  // whether this process may spin now
};

}  // namespace fibpool::ipc

#include "os/robust_mutex.h"

template <class Fn>
boost::system::error_code fibpool::ipc::JobQueue::WithConsumerLock(Fn&& fn) {
  const os::Result<os::RobustLock> lock = os::RobustLock::Acquire(mutex());
  if (!lock) return lock.error();
  fn();
  return {};
}
