#include "supervisor/pool/worker_slots.h"

#include <utility>

#include "supervisor/metrics/process_stat.h"

namespace fibpool::supervisor {

WorkerSlots::~WorkerSlots() {
  // WorkerProcess destructors kill and reap whatever still runs.
  for (auto& w : workers_) w.process.reset();
}

WorkerSlots::Worker WorkerSlots::Vacate(std::uint32_t slot) {
  return std::exchange(workers_[slot], Worker{});
}

void WorkerSlots::Kill(std::uint32_t slot, KillCause cause) {
  Worker& w = workers_[slot];
  if (!w.process || w.killed != KillCause::kNone) return;
  w.killed = cause;
  w.process->Kill();
}

void WorkerSlots::KillAll(KillCause cause) {
  for (std::uint32_t slot = 0; slot < size(); ++slot) Kill(slot, cause);
}

std::vector<WorkerView> WorkerSlots::Views(std::size_t lane, const ipc::JobQueue& queue,
                                           const JobTable& jobs) const {
  std::vector<WorkerView> views;
  for (std::uint32_t cell = 0; cell < kMaxWorkers; ++cell) {
    const Worker& w = workers_[SlotOf(lane, cell)];
    if (!w.process) continue;
    const std::uint64_t job = queue.cell(cell).job_id.load();
    const char* state = w.killed != KillCause::kNone ? "stopping"
                        : !w.ready                   ? "starting"
                        : job != 0                   ? "busy"
                                                     : "idle";
    WorkerView view{w.process->pid(), state, w.jobs_done, job};
    view.cpu_seconds = ProcessCpuSeconds(view.pid);
    view.job_cpu_seconds = static_cast<double>(w.job_cpu_ns) / 1e9;
    view.peak_rss_bytes = w.peak_rss_bytes;
    if (job != 0) view.job_started_ns = queue.cell(cell).started_ns.load();
    if (const PendingJob* pending = job != 0 ? jobs.Find(job) : nullptr) {
      view.job_algorithm = pending->spec.algorithm;
      view.job_n = pending->spec.n;
    }
    views.push_back(std::move(view));
  }
  return views;
}

}  // namespace fibpool::supervisor
