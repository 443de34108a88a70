#include "supervisor/pool/work_before.h"

#include <algorithm>
#include <atomic>

namespace fibpool::supervisor {

WorkBefore WorkBeforeJob(const PoolWork& pool, const std::string& flow, std::uint64_t deadline,
                         JobSize size, std::uint64_t now_ns) {
  WorkBefore work;
  work.size = size;
  work.waiting = pool.backlog.CostAhead(flow, deadline, [&pool](std::uint64_t id) {
    const PendingJob* job = pool.jobs.Find(id);
    return job == nullptr ? std::uint64_t{0} : job->cost_ns;
  });
  work.main_lane_ns = UnfinishedWork(pool, 0, now_ns);
  work.reserve_lane_ns = UnfinishedWork(pool, 1, now_ns);
  work.main_workers = pool.lanes[0].target();
  work.reserve_workers = pool.lanes[1].target();
  return work;
}

std::uint64_t UnfinishedWork(const PoolWork& pool, std::size_t lane, std::uint64_t now_ns) {
  std::uint64_t done = 0;
  for (std::uint32_t slot = 0; slot < pool.workers.size(); ++slot) {
    if (WorkerSlots::LaneOf(slot) != lane || !pool.workers[slot].process) continue;
    const ipc::WorkerCell& cell = pool.lanes[lane].queue().cell(WorkerSlots::CellOf(slot));
    const PendingJob* job = pool.jobs.Find(cell.job_id.load(std::memory_order_acquire));
    if (job == nullptr || job->state != PendingJob::State::kQueued) continue;
    const std::uint64_t started = cell.started_ns.load(std::memory_order_relaxed);
    done += std::min(now_ns > started ? now_ns - started : 0, job->cost_ns);
  }
  const std::uint64_t pushed = pool.lanes[lane].load().cost_in_flight;
  return pushed > done ? pushed - done : 0;
}

}  // namespace fibpool::supervisor
