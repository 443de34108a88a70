#include "supervisor/lane.h"

#include <spdlog/spdlog.h>

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

bool Lane::Push(const ipc::Job& job, bool big) {
  if (!queue_->TryPush(job)) return false;
  ++load_.in_flight;
  load_.cost_in_flight += job.cost_ns;
  if (big) ++load_.big_in_flight;
  return true;
}

void Lane::Resolve(std::uint64_t cost_ns, bool big) {
  --load_.in_flight;
  load_.cost_in_flight -= cost_ns;
  if (big) --load_.big_in_flight;
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
  --live_;
  if (was_ready) --load_.ready;
  if (took_resize_sentinel && retiring_ > 0) --retiring_;
}

unsigned Lane::Missing() const {
  const unsigned staying = live_ - retiring_;
  return staying < target_ ? target_ - staying : 0;
}

unsigned Lane::RetireExtra() {
  const unsigned staying = live_ - retiring_;
  if (staying <= target_) return 0;
  const unsigned extra = staying - target_;
  unsigned pushed = 0;
  while (pushed < extra && queue_->TryPush(ipc::Job::Sentinel())) ++pushed;
  retiring_ += pushed;
  queue_->WakeConsumers(static_cast<int>(pushed));
  return pushed;
}

unsigned Lane::SendStopSentinels() {
  // Workers already retiring have their sentinel in the queue.
  const unsigned needed = live_ > retiring_ ? live_ - retiring_ : 0;
  for (unsigned i = 0; i < needed; ++i) queue_->TryPush(ipc::Job::Sentinel());
  queue_->WakeConsumers(static_cast<int>(live_));
  return needed;
}

}  // namespace fibpool::supervisor
