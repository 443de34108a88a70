#include "supervisor/worker_slots.h"

#include <utility>

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

std::vector<WorkerView> WorkerSlots::Views(std::size_t lane, const ipc::JobQueue& queue) const {
  std::vector<WorkerView> views;
  for (std::uint32_t cell = 0; cell < kMaxWorkers; ++cell) {
    const Worker& w = workers_[SlotOf(lane, cell)];
    if (!w.process) continue;
    const std::uint64_t job = queue.cell(cell).job_id.load();
    const char* state = !w.ready ? "starting" : (job != 0 ? "busy" : "idle");
    views.push_back(WorkerView{w.process->pid(), state, w.jobs_done, job});
  }
  return views;
}

}  // namespace fibpool::supervisor
