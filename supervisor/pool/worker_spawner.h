// Keeps the lanes' worker processes at their targets: spawns the workers a
// lane misses (Lane::Missing), at once, or, while workers die as fast as
// they start or cannot be spawned (respawn_backoff.h), after the back-off,
// so that a crash loop does not become a fork loop.
//
// Ownership: spawns into the pool's WorkerSlots and reports each spawn to
// the worker's Lane; owns neither (both outlive it). The pool gives each
// worker its events (EventsFor). Threading: the io_context's thread only.
// Failure behaviour: a worker that cannot be spawned on the serving path is
// logged (event=worker_spawn_failed) and tried again after the back-off;
// only Start() throws (start-up).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <functional>
#include <span>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>

#include "supervisor/pool/lane.h"
#include "supervisor/pool/pool_options.h"
#include "supervisor/pool/respawn_backoff.h"
#include "supervisor/pool/worker_process.h"
#include "supervisor/pool/worker_slots.h"

namespace fibpool::supervisor {

class WorkerSpawner {
 public:
  // What a new worker of `slot` reports to the pool.
  using EventsFor = std::function<WorkerProcess::Events(std::uint32_t slot)>;

  // `options`, `lanes` (main, then reserve) and `workers` outlive the spawner.
  WorkerSpawner(boost::asio::io_context& io, const PoolOptions& options, std::span<Lane> lanes,
                WorkerSlots& workers, EventsFor events_for);

  // Start-up: every lane's target at once. Throws boost::system::system_error
  // naming the worker executable when one cannot be spawned.
  void Start();
  // Spawns the workers the lanes miss, now or once the back-off is over.
  // Nothing after Stop().
  void Replenish();
  // A worker answered: it is not crash-looping.
  void OnAnswer() { backoff_.OnAnswer(); }
  // The worker of `slot` ended (`worker`, as the slot held it), having
  // claimed `claimed` jobs and running `running` (0: none). Logs why
  // (event=worker_died for an abnormal end, else event=worker_exited); a
  // crash counts towards the back-off, and one that starts or lengthens it
  // is logged (event=crash_loop).
  // `job_fields`: the running job's client, algorithm and N as log fields
  // (JobLogFields, job_table.h).
  void OnExited(std::uint32_t slot, const WorkerSlots::Worker& worker, ExitStatus status,
                ExitCause cause, std::uint64_t running, const std::string& job_fields,
                std::size_t claimed);
  // The pool stops: no spawn from now on.
  void Stop();
  // The current back-off; 0 when workers are spawned at once.
  std::chrono::milliseconds backoff() const { return backoff_.delay(); }

 private:
  // Starts the worker of `slot`; the error of WorkerProcess::Spawn, if any.
  boost::system::error_code SpawnInto(std::uint32_t slot);
  void SpawnMissing();

  boost::asio::io_context& io_;
  const PoolOptions& options_;
  std::span<Lane> lanes_;
  WorkerSlots& workers_;
  EventsFor events_for_;
  RespawnBackoff backoff_;
  boost::asio::steady_timer respawn_;
  bool respawn_scheduled_ = false;
  bool stopped_ = false;
};

}  // namespace fibpool::supervisor
