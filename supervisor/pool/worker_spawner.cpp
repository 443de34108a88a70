#include "supervisor/pool/worker_spawner.h"

#include <unistd.h>

#include <spdlog/spdlog.h>
#include <boost/system/system_error.hpp>

#include "ipc/worker_args.h"
#include "os/monotonic_clock.h"
#include "supervisor/sched/cost_model.h"

namespace fibpool::supervisor {

WorkerSpawner::WorkerSpawner(boost::asio::io_context& io, const PoolOptions& options,
                             std::span<Lane> lanes, WorkerSlots& workers, EventsFor events_for)
    : io_(io),
      options_(options),
      lanes_(lanes),
      workers_(workers),
      events_for_(std::move(events_for)),
      respawn_(io) {}

void WorkerSpawner::Start() {
  for (std::size_t lane = 0; lane < lanes_.size(); ++lane) {
    for (std::uint32_t cell = 0; cell < lanes_[lane].target(); ++cell) {
      if (auto ec = SpawnInto(WorkerSlots::SlotOf(lane, cell))) {
        throw boost::system::system_error(ec, "starting " + options_.worker_path.string());
      }
    }
  }
}

boost::system::error_code WorkerSpawner::SpawnInto(std::uint32_t slot) {
  const std::size_t lane = WorkerSlots::LaneOf(slot);
  const std::uint32_t cell = WorkerSlots::CellOf(slot);
  lanes_[lane].ResetCell(cell);
  const ipc::WorkerArgs args =
      WorkerArgsFor(options_, lane == 0 ? LaneKind::kMain : LaneKind::kReserve,
                    lanes_[lane].segment_name(), cell, ::getpid());
  auto process =
      WorkerProcess::Spawn(io_, options_.worker_path, ipc::ToCommandLine(args), events_for_(slot),
                           EstimatedAnswerBytes(ipc::Algorithm::kFast, args.max_n));
  if (!process) return process.error();
  workers_[slot] = WorkerSlots::Worker{};
  workers_[slot].process = std::move(*process);
  workers_[slot].spawned_ns = os::MonotonicNanos();
  lanes_[lane].OnSpawned();
  spdlog::debug("event=worker_spawned lane={} cell={} pid={}", kLaneNames[lane], cell,
                workers_[slot].process->pid());
  return {};
}

void WorkerSpawner::Replenish() {
  if (stopped_ || respawn_scheduled_) return;
  if (backoff_.delay().count() == 0) {
    SpawnMissing();
    return;
  }
  respawn_scheduled_ = true;
  respawn_.expires_after(backoff_.delay());
  respawn_.async_wait([this](const boost::system::error_code& ec) {
    respawn_scheduled_ = false;
    if (!ec && !stopped_) SpawnMissing();
  });
}

void WorkerSpawner::SpawnMissing() {
  for (std::size_t lane = 0; lane < lanes_.size(); ++lane) {
    for (std::uint32_t cell = 0; cell < kMaxWorkers && lanes_[lane].Missing() > 0; ++cell) {
      const std::uint32_t slot = WorkerSlots::SlotOf(lane, cell);
      if (workers_[slot].process) continue;
      if (const auto ec = SpawnInto(slot)) {
        backoff_.OnSpawnFailed();
        spdlog::error("event=worker_spawn_failed slot={} why=\"{}\" backoff_ms={}", slot,
                      ec.message(), backoff_.delay().count());
        Replenish();
        return;
      }
    }
  }
}

void WorkerSpawner::OnExited(std::uint32_t slot, const WorkerSlots::Worker& worker,
                             ExitStatus status, ExitCause cause, std::uint64_t running,
                             const std::string& job_fields, std::size_t claimed) {
  const std::string_view lane = kLaneNames[WorkerSlots::LaneOf(slot)];
  const std::uint32_t cell = WorkerSlots::CellOf(slot);
  const pid_t pid = worker.process->pid();
  if (cause == ExitCause::kCrash &&
      backoff_.OnCrash(std::chrono::nanoseconds(os::MonotonicNanos() - worker.spawned_ns))) {
    spdlog::error("event=crash_loop quick_deaths={} backoff_ms={}", backoff_.quick_deaths(),
                  backoff_.delay().count());
  }
  if (IsAbnormal(cause)) {
    spdlog::warn("event=worker_died lane={} cell={} pid={} exit={} job={} {} claimed={} cause={}",
                 lane, cell, pid, ExitStatusText(status), running, job_fields, claimed,
                 ExitCauseName(cause));
  } else {
    spdlog::info("event=worker_exited lane={} cell={} pid={} cause={} jobs={}", lane, cell, pid,
                 ExitCauseName(cause), worker.jobs_done);
  }
}

void WorkerSpawner::Stop() {
  stopped_ = true;
  respawn_.cancel();
}

}  // namespace fibpool::supervisor
