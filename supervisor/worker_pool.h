// The prefork pool: worker processes, the shared-memory job queue they take
// jobs from, and the backlog of jobs waiting for a worker.
//
// Modelled on ProcessPoolExecutor: Submit() returns at once and the callback
// is the future; the queue holds only as many jobs as there are workers to
// take them (the rest wait in the cost-ordered backlog); one sentinel per
// worker ends the pool.
//
// Two lanes, each a queue in shared memory with its own workers: the main
// lane (`workers` processes) runs jobs of any size; the reserve lane
// (`reserve_workers` more) runs only cheap jobs, and only when the main lane
// has no idle worker for them. Big jobs can thus occupy every main worker and
// cheap jobs still get a CPU at once: the OS time-slices the reserve worker
// in among the big ones.
//
// Guarantees: every submitted job's callback is called exactly once, with the
// result or an error (timeout, worker_crashed, internal), unless the job was
// Abandon()ed first. A worker that dies is replaced at once, the job it was
// running retried once, and the other jobs it had taken (a batch) go back to
// the backlog; a job past job_timeout gets its worker killed and replaced; a
// running job nobody waits for any more is stopped the same way after
// kCancelAfter. Workers dying as fast as they start are respawned with an
// exponential back-off instead of in a tight loop.
//
// Threading: everything runs on the io_context's single thread. Owns the
// queue segment (unlinked on destruction) and the workers (killed and reaped
// on destruction, if Stop() did not end them first).
#pragma once

#include <sys/types.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "ipc/job.h"
#include "ipc/job_queue.h"
#include "ipc/messages.h"
#include "ipc/shared_segment.h"
#include "supervisor/backlog.h"
#include "supervisor/config.h"
#include "supervisor/error_code.h"
#include "supervisor/job_executor.h"
#include "supervisor/metrics.h"
#include "supervisor/worker_process.h"

namespace fibpool::supervisor {

struct PoolOptions {
  std::filesystem::path worker_path;
  unsigned workers = 1;
  unsigned reserve_workers = 1;  // the cheap-job lane; 0: none
  int worker_nice = 10;          // nice value of main-lane workers (the reserve lane runs at 0)
  std::uint64_t max_n = 100'000'000;
  std::chrono::milliseconds job_timeout{30'000};
  std::size_t max_backlog = 10'000;
  std::chrono::microseconds worker_spin{50};
  std::string log_level = "info";
  std::chrono::milliseconds stop_grace{5'000};  // after sentinels, before SIGKILL
  std::uint64_t max_jobs_per_worker = 0;        // 0: never recycle
  std::uint64_t max_worker_memory_mb = 0;       // 0: no limit
};

// A running job that nobody waits for is stopped once it has run this long.
inline constexpr std::chrono::milliseconds kCancelAfter{200};

struct WorkerView {
  pid_t pid;
  // starting, idle, busy, or stopping (killed by the supervisor, exit not yet seen)
  std::string state;
  std::uint64_t jobs_done;
  std::uint64_t current_job;  // 0 = none
  // The current job's algorithm and N, when current_job is a job still pending.
  std::optional<ipc::Algorithm> job_algorithm = std::nullopt;
  std::uint64_t job_n = 0;
  std::uint64_t job_started_ns = 0;  // ipc::MonotonicNanos() when it started; 0 = none
  double cpu_seconds = 0;            // user + system CPU time the process has used
};

struct PoolSnapshot {
  std::vector<WorkerView> workers;          // the main lane
  std::vector<WorkerView> reserve_workers;  // the cheap-job lane
  unsigned target_workers;
  unsigned target_reserve_workers = 0;
  std::uint64_t taken_ns = 0;        // ipc::MonotonicNanos() when the snapshot was taken
  std::uint64_t respawn_backoff_ms;  // > 0 while workers die as fast as they start
  std::uint64_t queue_depth;
  std::size_t backlog;
  std::size_t jobs_pending;  // submitted and not yet answered
  std::uint64_t lock_recoveries;
};

class WorkerPool : public JobExecutor {
 public:
  // Creates the queue segment (removing segments of dead instances first).
  // Throws on failure (start-up).
  WorkerPool(boost::asio::io_context& io, PoolOptions options, Metrics* metrics);
  ~WorkerPool() override;
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Spawns the workers; on_ready runs once all of them have attached to the
  // queue. A worker that fails during start-up calls on_failed instead.
  void Start(std::function<void()> on_ready, std::function<void(std::string)> on_failed);

  // JobExecutor. Submit fails with kBusy when the backlog is full and with
  // kShuttingDown after Stop(). An abandoned job that already runs finishes
  // and its answer is dropped.
  std::optional<std::uint64_t> Submit(ipc::Algorithm algorithm, std::uint64_t n,
                                      JobCallback callback, ErrorCode* error) override;

  void Abandon(std::uint64_t job_id) override;

  // Producer-consumer ending: once no job is pending, one sentinel per
  // worker; on_stopped runs when every worker has exited (stragglers are
  // killed after stop_grace). Submit() fails from now on.
  void Stop(std::function<void()> on_stopped);

  // Grows or shrinks the pool to `workers` without losing a job: new workers
  // are spawned; extra ones take a sentinel after their current job and exit.
  void Resize(unsigned workers);
  // Settings that apply to jobs from now on.
  void SetJobTimeout(std::chrono::milliseconds timeout) { options_.job_timeout = timeout; }
  void SetMaxBacklog(std::size_t max_backlog) { options_.max_backlog = max_backlog; }

  PoolSnapshot Snapshot() const;
  const std::string& segment_name() const { return lanes_[0].segment.name(); }

 private:
  enum class JobState { kBacklog, kQueued };
  struct PendingJob {
    ipc::Algorithm algorithm;
    std::uint64_t n;
    JobCallback callback;  // empty once abandoned
    std::uint64_t submitted_ns;
    std::uint64_t deadline;
    std::uint64_t cost_ns;  // estimated
    JobSize size;
    JobState state;
    std::size_t lane = 0;  // while kQueued
    int attempts = 0;      // times a worker died running it
  };
  // One queue segment and the workers that take from it. Worker slots
  // [first_slot, first_slot + kMaxWorkers) of workers_ belong to lane i.
  struct Lane {
    ipc::SharedSegment segment;
    std::optional<ipc::JobQueue> queue;
    unsigned target = 0;
    unsigned retiring = 0;             // resize sentinels queued and not yet taken
    unsigned live = 0;                 // worker processes
    unsigned ready = 0;                // of which attached and ready
    std::uint64_t in_flight = 0;       // pushed and not yet resolved
    std::uint64_t big_in_flight = 0;   // of which big
    std::uint64_t cost_in_flight = 0;  // their estimated cost, summed
  };
  static constexpr std::size_t kMainLane = 0;
  static constexpr std::size_t kReserveLane = 1;
  enum class KillCause { kNone, kTimeout, kCancel, kStop };
  struct Worker {
    std::shared_ptr<WorkerProcess> process;
    bool ready = false;
    KillCause killed = KillCause::kNone;  // why the supervisor killed it, if it did
    std::uint64_t jobs_done = 0;
    std::uint64_t spawned_ns = 0;
  };

  static std::size_t LaneOf(std::uint32_t slot) { return slot / kMaxWorkers; }
  static std::uint32_t CellOf(std::uint32_t slot) { return slot % kMaxWorkers; }
  ipc::WorkerCell& CellFor(std::uint32_t slot) const;
  bool PushTo(std::size_t lane, std::uint64_t job_id);
  void SpawnInto(std::uint32_t slot);
  // Spawns (or schedules, while backing off) workers up to the target.
  void Replenish();
  void SpawnMissing();
  // A job a dead worker had claimed: retried (once, if it was the one
  // running), or answered with the error its worker's death means.
  void HandleLostJob(std::uint64_t job_id, bool was_running, KillCause cause);
  // Back to the backlog, out of its lane.
  void Requeue(std::uint64_t job_id, PendingJob& job);
  void LeaveLane(PendingJob& job);
  void KillWorker(std::uint32_t slot, KillCause cause);
  unsigned LiveWorkers(std::size_t lane) const;
  unsigned ReadyWorkers(std::size_t lane) const;
  void OnReady(std::uint32_t slot);
  void OnResult(std::uint32_t slot, ipc::ResultMessage&& message);
  void OnExit(std::uint32_t slot, int exit_code);
  void Finish(std::uint64_t job_id, JobResult&& result);
  void Pump();
  // Pump() once the current event-loop turn is over: the jobs of every
  // request read in this turn reach the queue together.
  void PumpSoon();
  void Tick();
  void MaybeFinishStop();
  std::vector<WorkerView> Views(std::size_t lane) const;

  boost::asio::io_context& io_;
  PoolOptions options_;
  Metrics* metrics_;
  std::array<Lane, 2> lanes_;
  std::vector<Worker> workers_;  // indexed by slot: lane * kMaxWorkers + cell
  std::unordered_map<std::uint64_t, PendingJob> jobs_;
  Backlog backlog_;
  std::uint64_t next_job_id_ = 1;
  boost::asio::steady_timer tick_;
  boost::asio::steady_timer grace_;
  boost::asio::steady_timer respawn_;
  unsigned quick_deaths_ = 0;  // consecutive workers that died soon after starting
  std::chrono::milliseconds backoff_{0};
  bool respawn_scheduled_ = false;
  std::function<void()> on_ready_;
  std::function<void(std::string)> on_failed_;
  std::function<void()> on_stopped_;
  bool starting_ = true;
  bool stopping_ = false;
  bool sentinels_sent_ = false;
  bool pump_posted_ = false;
};

}  // namespace fibpool::supervisor
