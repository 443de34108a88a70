#include "ipc/job_queue.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <ctime>
#include <new>

#include "ipc/codec.h"
#include "ipc/ipc_error.h"
#include "os/futex.h"
#include "os/robust_mutex.h"

namespace fibpool::ipc {

struct JobQueue::Header {
  std::uint64_t magic;
  std::uint32_t version;
  std::uint32_t capacity;
  std::uint64_t total_bytes;
  std::uint32_t cells;
  std::int32_t creator_pid;
};

struct JobQueue::Control {
  pthread_mutex_t mutex;
  std::atomic<std::uint64_t> recoveries;
  alignas(64) std::atomic<std::uint64_t> head;  // next slot to take; consumers, under mutex
  alignas(64) std::atomic<std::uint64_t> tail;  // next slot to fill; the producer
  alignas(64) std::atomic<std::uint32_t> wake_seq;
  std::atomic<std::uint32_t> sleepers;
  std::atomic<std::uint32_t> spinner;  // cell + 1 of the consumer that spins; 0: none
};

struct JobQueue::Slot {
  std::uint32_t length;
  char bytes[kSlotBytes - sizeof(std::uint32_t)];
};

namespace {

constexpr std::size_t AlignUp(std::size_t n) { return (n + 63) & ~std::size_t{63}; }

struct Offsets {
  std::size_t control, cells, slots, total;
};

template <class H, class C, class S>
Offsets OffsetsFor(std::uint32_t capacity, std::uint32_t cells) {
  Offsets o{};
  o.control = AlignUp(sizeof(H));
  o.cells = o.control + AlignUp(sizeof(C));
  o.slots = o.cells + AlignUp(sizeof(WorkerCell) * cells);
  o.total = o.slots + sizeof(S) * capacity;
  return o;
}

}  // namespace

std::size_t JobQueue::BytesFor(std::uint32_t capacity, std::uint32_t cells) {
  return OffsetsFor<Header, Control, Slot>(capacity, cells).total;
}

os::Result<JobQueue> JobQueue::Format(void* memory, std::size_t size, std::uint32_t capacity,
                                      std::uint32_t cells) {
  const Offsets o = OffsetsFor<Header, Control, Slot>(capacity, cells);
  if (capacity == 0 || size < o.total) return make_error_code(IpcError::kSizeMismatch);
  char* base = static_cast<char*>(memory);
  auto* control = new (base + o.control) Control{};
  if (auto ec = os::InitRobustMutex(&control->mutex)) return ec;
  auto* cell_array = reinterpret_cast<WorkerCell*>(base + o.cells);
  for (std::uint32_t i = 0; i < cells; ++i) new (&cell_array[i]) WorkerCell{};
  auto* slots = reinterpret_cast<Slot*>(base + o.slots);
  // The header goes last: an attacher that sees the magic sees a whole queue.
  auto* header = new (base) Header{0, kLayoutVersion, capacity, o.total, cells, ::getpid()};
  std::atomic_ref<std::uint64_t>(header->magic).store(kSegmentMagic, std::memory_order_release);
  return JobQueue(header, control, cell_array, slots);
}

os::Result<JobQueue> JobQueue::Attach(void* memory, std::size_t size) {
  auto* header = static_cast<Header*>(memory);
  if (size < sizeof(Header) ||
      std::atomic_ref<std::uint64_t>(header->magic).load(std::memory_order_acquire) !=
          kSegmentMagic) {
    return make_error_code(IpcError::kBadMagic);
  }
  if (header->version != kLayoutVersion) return make_error_code(IpcError::kVersionMismatch);
  const Offsets o = OffsetsFor<Header, Control, Slot>(header->capacity, header->cells);
  if (header->capacity == 0 || header->total_bytes != o.total || size < o.total) {
    return make_error_code(IpcError::kSizeMismatch);
  }
  char* base = static_cast<char*>(memory);
  return JobQueue(header, reinterpret_cast<Control*>(base + o.control),
                  reinterpret_cast<WorkerCell*>(base + o.cells),
                  reinterpret_cast<Slot*>(base + o.slots));
}

bool JobQueue::TryPush(const Job& job) {
  const std::uint64_t tail = control_->tail.load(std::memory_order_relaxed);
  const std::uint64_t head = control_->head.load(std::memory_order_acquire);
  if (tail - head >= header_->capacity) return false;
  Slot& slot = slots_[tail % header_->capacity];
  std::size_t written = 0;
  if (!EncodeInto(job, std::span<char>(slot.bytes, sizeof slot.bytes), &written)) return false;
  slot.length = static_cast<std::uint32_t>(written);
  // seq_cst pairs with the consumer's sleepers increment: one of the two sees the other.
  control_->tail.store(tail + 1, std::memory_order_seq_cst);
  return true;
}

void JobQueue::WakeConsumers(int count) {
  control_->wake_seq.fetch_add(1, std::memory_order_seq_cst);
  // A spinner seen here sees the pushed jobs: it checks the queue again
  // after giving up the role, and hands on what it leaves (HandOn).
  if (control_->spinner.load(std::memory_order_seq_cst) != 0) --count;
  if (count > 0 && control_->sleepers.load(std::memory_order_seq_cst) > 0) {
    os::FutexWake(&control_->wake_seq, count);
  }
}

void JobQueue::HeldJobs(std::vector<std::uint64_t>* ids) const {
  const std::uint64_t tail = control_->tail.load(std::memory_order_relaxed);  // the producer's own
  for (std::uint64_t p = control_->head.load(std::memory_order_acquire); p != tail; ++p) {
    const std::optional<Job> job = DecodeSlot(p);
    if (job && job->kind == JobKind::kCompute) ids->push_back(job->id);
  }
  for (std::uint32_t i = 0; i < header_->cells; ++i) {
    const WorkerCell& c = cells_[i];
    const std::uint32_t claimed = std::min(c.claimed.load(std::memory_order_acquire), kMaxBatch);
    for (std::uint32_t k = 0; k < claimed; ++k) {
      ids->push_back(c.claims[k].load(std::memory_order_relaxed));
    }
  }
}

void JobQueue::HandOn() {
  if (Depth() == 0 || control_->sleepers.load(std::memory_order_seq_cst) == 0) return;
  control_->wake_seq.fetch_add(1, std::memory_order_seq_cst);
  os::FutexWake(&control_->wake_seq, 1);
}

std::optional<Job> JobQueue::DecodeSlot(std::uint64_t position) const {
  const Slot& slot = slots_[position % header_->capacity];
  if (slot.length > sizeof slot.bytes) return std::nullopt;
  return Decode<Job>(std::string_view(slot.bytes, slot.length));
}

os::Result<std::uint32_t> JobQueue::TryTake(std::uint32_t cell, TakeLimit limit, JobBatch* out) {
  const os::Result<os::RobustLock> lock = os::RobustLock::Acquire(&control_->mutex);
  if (!lock) return lock.error();
  if (lock->recovered()) {
    control_->recoveries.fetch_add(1, std::memory_order_relaxed);
    RepairLocked();
  }
  const std::uint64_t head = control_->head.load(std::memory_order_relaxed);
  const std::uint64_t tail = control_->tail.load(std::memory_order_acquire);
  if (head == tail) return 0u;
  out->size = 0;
  std::optional<Job> first = DecodeSlot(head);
  if (first) {
    out->jobs[out->size++] = *first;
    if (first->kind == JobKind::kCompute) {
      std::uint64_t cost = first->cost_ns;
      const std::uint32_t most = std::clamp(limit.jobs, 1u, kMaxBatch);
      for (std::uint64_t p = head + 1; p != tail && out->size < most; ++p) {
        std::optional<Job> next = DecodeSlot(p);
        if (!next || next->kind != JobKind::kCompute || cost + next->cost_ns > limit.cost_ns) {
          break;
        }
        cost += next->cost_ns;
        out->jobs[out->size++] = *next;
      }
      WorkerCell& c = cells_[cell];
      for (std::uint32_t i = 0; i < out->size; ++i) {
        c.claims[i].store(out->jobs[i].id, std::memory_order_relaxed);
      }
      c.claimed.store(out->size, std::memory_order_release);
    }
  }
  control_->head.store(head + (first ? out->size : 1), std::memory_order_release);
  if (!first) return make_error_code(IpcError::kCorruptJob);
  return out->size;
}

os::Result<std::uint32_t> JobQueue::PopBatch(std::uint32_t cell, std::chrono::nanoseconds spin,
                                             std::chrono::nanoseconds wait, TakeLimit limit,
                                             JobBatch* out) {
  const std::uint64_t start = os::MonotonicNanos();
  const auto elapsed = [start] { return std::chrono::nanoseconds(os::MonotonicNanos() - start); };
  // One spinner per queue is enough to catch the next job at once; more
  // would only burn CPU the supervisor and the clients need.
  std::uint32_t none = 0;
  bool spinner = spin.count() > 0 && polite_.allowed(start) &&
                 control_->spinner.compare_exchange_strong(none, cell + 1);
  const auto stop_spinning = [&] {
    if (spinner) control_->spinner.store(0, std::memory_order_release);
    spinner = false;
  };
  for (;;) {
    if (Depth() > 0) {
      os::Result<std::uint32_t> took = TryTake(cell, limit, out);
      if (!took || *took > 0) {
        stop_spinning();
        if (took || took.error() == IpcError::kCorruptJob) HandOn();
        return took;
      }
    }
    const auto spent = elapsed();
    if (spent >= wait) {
      stop_spinning();
      return 0u;
    }
    if (spinner && spent < spin) {
      // Sleeping on the futex wakes this process sooner than spinning
      // against another program that wants the CPU (os/polite_spin.h).
      polite_.Yield();
      continue;
    }
    stop_spinning();
    const std::uint32_t seq = control_->wake_seq.load(std::memory_order_seq_cst);
    control_->sleepers.fetch_add(1, std::memory_order_seq_cst);
    if (Depth() == 0) os::FutexWait(&control_->wake_seq, seq, wait - spent);
    control_->sleepers.fetch_sub(1, std::memory_order_seq_cst);
  }
}

os::Result<std::uint32_t> JobQueue::Pop(std::uint32_t cell, std::chrono::nanoseconds spin,
                                        std::chrono::nanoseconds wait, Job* out) {
  JobBatch batch;
  os::Result<std::uint32_t> took = PopBatch(cell, spin, wait, TakeLimit{0, 1}, &batch);
  if (took && *took > 0) *out = batch.jobs[0];
  return took;
}

void JobQueue::StartJob(std::uint32_t cell, std::uint64_t job_id) {
  WorkerCell& c = cells_[cell];
  c.started_ns.store(os::MonotonicNanos(), std::memory_order_relaxed);
  c.job_id.store(job_id, std::memory_order_release);
}

void JobQueue::FinishBatch(std::uint32_t cell) {
  WorkerCell& c = cells_[cell];
  c.job_id.store(0, std::memory_order_release);
  c.claimed.store(0, std::memory_order_release);
}

boost::system::error_code JobQueue::Repair() {
  const os::Result<os::RobustLock> lock = os::RobustLock::Acquire(&control_->mutex);
  if (!lock) return lock.error();
  if (lock->recovered()) control_->recoveries.fetch_add(1, std::memory_order_relaxed);
  RepairLocked();
  return {};
}

bool JobQueue::IsClaimed(std::uint64_t job_id) const {
  for (std::uint32_t i = 0; i < header_->cells; ++i) {
    const WorkerCell& c = cells_[i];
    const std::uint32_t claimed = std::min(c.claimed.load(std::memory_order_acquire), kMaxBatch);
    for (std::uint32_t k = 0; k < claimed; ++k) {
      if (c.claims[k].load(std::memory_order_relaxed) == job_id) return true;
    }
  }
  return false;
}

void JobQueue::RepairLocked() {
  // A take claims a run of jobs from the head, so a half-done one left such
  // a run: skip it.
  std::uint64_t head = control_->head.load(std::memory_order_relaxed);
  const std::uint64_t tail = control_->tail.load(std::memory_order_acquire);
  for (; head != tail; ++head) {
    const std::optional<Job> job = DecodeSlot(head);
    if (!job || job->kind != JobKind::kCompute || !IsClaimed(job->id)) break;
  }
  control_->head.store(head, std::memory_order_release);
}

std::vector<std::uint64_t> JobQueue::TakeClaims(std::uint32_t cell, std::uint64_t* running) {
  WorkerCell& c = cells_[cell];
  std::uint32_t mine = cell + 1;
  control_->spinner.compare_exchange_strong(mine, 0);  // it died spinning
  *running = c.job_id.exchange(0, std::memory_order_acq_rel);
  const std::uint32_t claimed =
      std::min(c.claimed.exchange(0, std::memory_order_acq_rel), kMaxBatch);
  std::vector<std::uint64_t> ids;
  ids.reserve(claimed);
  for (std::uint32_t k = 0; k < claimed; ++k) ids.push_back(c.claims[k].load());
  return ids;
}

std::uint64_t JobQueue::Depth() const {
  const std::uint64_t head = control_->head.load(std::memory_order_seq_cst);
  const std::uint64_t tail = control_->tail.load(std::memory_order_seq_cst);
  return tail - head;
}

std::uint32_t JobQueue::capacity() const { return header_->capacity; }
std::uint32_t JobQueue::cells() const { return header_->cells; }
WorkerCell& JobQueue::cell(std::uint32_t index) const { return cells_[index]; }
std::uint64_t JobQueue::recoveries() const {
  return control_->recoveries.load(std::memory_order_relaxed);
}
std::uint32_t JobQueue::sleepers() const {
  return control_->sleepers.load(std::memory_order_relaxed);
}
pthread_mutex_t* JobQueue::mutex() const { return &control_->mutex; }

}  // namespace fibpool::ipc
