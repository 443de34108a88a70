#include "supervisor/pool/lane.h"

#include <algorithm>
#include <unordered_set>

#include <spdlog/spdlog.h>
#include <boost/system/system_error.hpp>

namespace fibpool::supervisor {

os::Result<Lane> Lane::Create(const std::string& name, std::uint32_t capacity,
                              std::uint32_t cells) {
  // A segment under our own pid can only be a dead namesake's leftover.
  os::SharedSegment::Remove(name);
  auto segment = os::SharedSegment::Create(name, ipc::JobQueue::BytesFor(capacity, cells));
  if (!segment) return segment.error();
  auto queue = ipc::JobQueue::Format(segment->data(), segment->size(), capacity, cells);
  if (!queue) return queue.error();
  Lane lane;
  lane.segment_ = std::move(*segment);
  lane.queue_.emplace(*queue);
  return lane;
}

Lane Lane::CreateOrThrow(const std::string& name, std::uint32_t capacity, std::uint32_t cells) {
  auto lane = Create(name, capacity, cells);
  if (!lane) throw boost::system::system_error(lane.error(), "job queue segment " + name);
  return std::move(*lane);
}

bool Lane::Push(const ipc::Job& job, bool big) {
  if (!queue_->TryPush(job)) return false;
  pushed_[job.id] = Pushed{job.cost_ns, big};
  ++load_.in_flight;
  load_.cost_in_flight += job.cost_ns;
  if (big) ++load_.big_in_flight;
  return true;
}

LaneLoad Lane::load() const {
  LaneLoad load = load_;
  load.ready -= std::min<std::uint64_t>(load.ready, retiring_);
  return load;
}

void Lane::Resolve(std::uint64_t job_id) {
  const auto it = pushed_.find(job_id);
  if (it == pushed_.end()) return;
  --load_.in_flight;
  load_.cost_in_flight -= it->second.cost_ns;
  if (it->second.big) --load_.big_in_flight;
  pushed_.erase(it);
}

void Lane::AppendUnaccounted(std::vector<std::uint64_t>* ids) const {
  if (pushed_.empty()) return;
  std::vector<std::uint64_t> listed;
  queue_->HeldJobs(&listed);
  const std::unordered_set<std::uint64_t> held(listed.begin(), listed.end());
  for (const auto& [id, job] : pushed_) {
    if (!held.contains(id)) ids->push_back(id);
  }
}

std::uint64_t Lane::UnfinishedWork(std::uint64_t now_ns) const {
  std::uint64_t done = 0;
  for (std::uint32_t cell = 0; cell < queue_->cells(); ++cell) {
    const ipc::WorkerCell& c = queue_->cell(cell);
    const auto it = pushed_.find(c.job_id.load(std::memory_order_acquire));
    if (it == pushed_.end()) continue;
    const std::uint64_t started = c.started_ns.load(std::memory_order_relaxed);
    done += std::min(now_ns > started ? now_ns - started : 0, it->second.cost_ns);
  }
  return load_.cost_in_flight > done ? load_.cost_in_flight - done : 0;
}

void Lane::ResetCell(std::uint32_t cell) {
  queue_->cell(cell).job_id.store(0);
  queue_->cell(cell).claimed.store(0);
  queue_->cell(cell).pid.store(0);
}

std::vector<std::uint64_t> Lane::Reclaim(std::uint32_t cell, std::uint64_t* running) {
  if (const auto ec = queue_->Repair()) {
    spdlog::error("event=queue_broken segment={} why=\"{}\"", segment_name(), ec.message());
  }
  std::vector<std::uint64_t> claimed = queue_->TakeClaims(cell, running);
  queue_->cell(cell).pid.store(0);
  return claimed;
}

void Lane::OnExited(bool was_ready, bool took_resize_sentinel) {
  if (live_ > 0) --live_;
  if (was_ready && load_.ready > 0) --load_.ready;
  if (took_resize_sentinel && retiring_ > 0) --retiring_;
}

std::int64_t Lane::Staying() const {
  return static_cast<std::int64_t>(live_) - static_cast<std::int64_t>(retiring_);
}

unsigned Lane::Missing() const {
  const std::int64_t missing = static_cast<std::int64_t>(target_) - Staying();
  return missing > 0 ? static_cast<unsigned>(missing) : 0;
}

unsigned Lane::RetireExtra() {
  const std::int64_t extra = Staying() - static_cast<std::int64_t>(target_);
  unsigned pushed = 0;
  while (static_cast<std::int64_t>(pushed) < extra && queue_->TryPush(ipc::Job::Sentinel())) ++pushed;
  retiring_ += pushed;
  if (pushed > 0) queue_->WakeConsumers(static_cast<int>(pushed));
  return pushed;
}

unsigned Lane::SendStopSentinels() {
  // Workers already retiring have their sentinel in the queue.
  const std::int64_t needed = Staying();
  unsigned queued = 0;
  while (static_cast<std::int64_t>(queued) < needed && queue_->TryPush(ipc::Job::Sentinel())) ++queued;
  queue_->WakeConsumers(static_cast<int>(live_));
  return queued;
}

}  // namespace fibpool::supervisor
