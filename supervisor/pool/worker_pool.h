// The prefork pool: worker processes, the shared-memory job queue they take
// jobs from, and the backlog of jobs waiting for a worker, shared fairly
// between clients (fair_queue.h).
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
// exponential back-off instead of in a tight loop. An input whose job killed
// two workers is refused for quarantine_period without starting a worker. A
// worker whose GMP ran out of memory answers its job (ERR internal) before it
// exits; that job is not retried. A job that no worker holds and no queue
// has (a queue slot that did not decode: the worker that took it dropped it)
// is answered ERR internal once the tick has found it so for kLostJobGrace
// (lost_job_sweep.h), so that its client gets an answer and Stop() ends. A
// large result gets a buffer in /dev/shm
// only when it fits (result_budget.h): otherwise its job waits for room, or
// its digits come through the pipe, never an error; the room is released
// when the answer is written or dropped (result_lease.h). Every ERR internal
// answer is logged with its reason (event=internal_error, at most one line
// per kLogInterval with the number held back: throttled_log.h).
//
// The decisions live in pure units; this class wires them to the processes
// and timers: Lane (a queue, its jobs and their load), dispatch_policy.h
// (which job to which lane, whom to wake) applied by dispatcher.h with the
// result budget (result_budget.h), JobTable (jobs and the retry rule),
// LostJobSweep (jobs nobody holds), worker_exit.h (why a worker ended),
// JobAdmission (which jobs it takes), WorkerSlots (the processes), WorkerSpawner (spawning them, with the
// crash-loop back-off). worker_pool.cpp holds only this wiring: the handlers
// of one object's events (ready, result, exit, tick, resize, stop), which
// all act on the same lanes, jobs and workers.
//
// Threading: everything runs on the io_context's single thread. Owns the
// lanes (their segments are unlinked on destruction) and the workers (killed
// and reaped on destruction, if Stop() did not end them first).
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "ipc/job.h"
#include "ipc/job_queue.h"
#include "ipc/messages.h"
#include "supervisor/job_executor.h"
#include "supervisor/log/throttled_log.h"
#include "supervisor/metrics/metrics.h"
#include "supervisor/pool/dispatcher.h"
#include "supervisor/pool/job_admission.h"
#include "supervisor/pool/job_table.h"
#include "supervisor/pool/lane.h"
#include "supervisor/pool/lost_job_sweep.h"
#include "supervisor/pool/pool_options.h"
#include "supervisor/pool/pool_snapshot.h"
#include "supervisor/pool/worker_exit.h"
#include "supervisor/pool/worker_process.h"
#include "supervisor/pool/worker_slots.h"
#include "supervisor/pool/worker_spawner.h"
#include "supervisor/protocol/answer_error.h"
#include "supervisor/sched/fair_queue.h"

namespace fibpool::supervisor {

class WorkerPool : public JobExecutor {
 public:
  // Creates the queue segments (removing segments of dead instances first).
  // Throws on failure (start-up).
  WorkerPool(boost::asio::io_context& io, PoolOptions options, Metrics* metrics);
  // Leases still held (answers not yet written) release nothing into it.
  ~WorkerPool() override;
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Spawns the workers; on_ready runs once all of them have attached to the
  // queue. A worker that fails during start-up calls on_failed instead.
  void Start(std::function<void()> on_ready, std::function<void(std::string)> on_failed);

  // JobExecutor. A job JobAdmission refuses (job_admission.h) gets its
  // refusal through its callback, posted, and the id 0 (nothing to
  // abandon). An abandoned job that already runs finishes and its answer is
  // dropped.
  std::uint64_t Submit(const JobSpec& spec, const std::string& flow,
                       JobCallback callback) override;

  void Abandon(std::uint64_t job_id) override;

  // Producer-consumer ending: once no job is pending, one sentinel per
  // worker; on_stopped runs when every worker has exited (stragglers are
  // killed after stop_grace). Submit() fails from now on.
  void Stop(std::function<void()> on_stopped);

  // Grows or shrinks the pool to `workers` without losing a job: new workers
  // are spawned; extra ones take a sentinel after their current job and exit.
  void Resize(unsigned workers);
  // Settings that apply to jobs from now on.
  void SetJobTimeout(std::chrono::milliseconds timeout) { options_.settings.job_timeout = timeout; }
  void SetMaxBacklog(std::size_t max_backlog) { options_.settings.max_backlog = max_backlog; }
  void SetMaxWait(std::chrono::milliseconds max_wait) { options_.settings.max_wait = max_wait; }
  // Applies to the inputs held already (quarantine.h).
  void SetQuarantinePeriod(std::chrono::milliseconds period) {
    options_.settings.quarantine_period = period;
    admission_.SetQuarantinePeriod(period);
  }

  PoolSnapshot Snapshot() const;
  // Cheap figures for HAProxy's agent check (agent_answer.h): main-lane
  // workers ready, and the estimated cost of the jobs not yet answered.
  unsigned ready_workers() const { return lanes_[kMainLane].ready(); }
  std::uint64_t pending_cost_ns() const { return jobs_.pending_cost_ns(); }
  const std::string& segment_name() const { return lanes_[kMainLane].segment_name(); }

 private:
  static constexpr std::size_t kMainLane = 0;  // the lane numbers DispatchWaiting uses
  static constexpr std::size_t kReserveLane = 1;
  using Worker = WorkerSlots::Worker;
  static std::size_t LaneOf(std::uint32_t slot) { return WorkerSlots::LaneOf(slot); }
  static std::uint32_t CellOf(std::uint32_t slot) { return WorkerSlots::CellOf(slot); }
  ipc::WorkerCell& CellFor(std::uint32_t slot) const;
  // What the worker of `slot` reports to the pool.
  WorkerProcess::Events EventsOf(std::uint32_t slot);
  // A job a dead worker had claimed: retried (once, if it was the one
  // running), or answered with the error its worker's death means.
  void HandleLostJob(std::uint64_t job_id, bool was_running, KillCause cause);
  // Back to the backlog, out of its lane.
  void Requeue(std::uint64_t job_id, PendingJob& job);
  void OnReady(std::uint32_t slot);
  void OnResult(std::uint32_t slot, ipc::ResultMessage&& message);
  // What a job that ran to its result cost: the metrics, and the cost model.
  void RecordCost(const PendingJob& job, const ipc::ResultMessage& message);
  void OnExit(std::uint32_t slot, ExitStatus status);
  // Answers the waiting job `flow` would run last ERR busy (flow_share):
  // its place goes to a job of another flow (backlog_admission.h).
  void PushOutLast(const std::string& flow);
  // Answers `callback` with `refusal`, posted: never inside Submit().
  void Refuse(JobCallback callback, Refusal&& refusal);
  void LogInternalError(const PendingJob& job, const std::string& reason);
  void Finish(std::uint64_t job_id, JobResult&& result);
  void Pump();
  // Pump() once the current event-loop turn is over: the jobs of every
  // request read in this turn reach the queue together.
  void PumpSoon();
  void Tick();
  // Answers ERR internal the jobs LostJobSweep finds lost (lost_job_sweep.h).
  void AnswerLostJobs(std::uint64_t now_ns);
  void MaybeFinishStop();

  boost::asio::io_context& io_;
  const pid_t self_pid_ = ::getpid();  // read once: getpid is a system call per result
  PoolOptions options_;
  Metrics* metrics_;
  std::array<Lane, 2> lanes_;
  WorkerSlots workers_;
  JobTable jobs_;
  FairQueue backlog_;
  ResultRouting routing_;  // the budget of large results in /dev/shm (result_budget.h)
  JobAdmission admission_;  // refusals, quarantine, the cost correction
  WorkerSpawner spawner_;           // keeps workers_ at the lanes' targets
  LostJobSweep lost_jobs_;
  ThrottledLog internal_errors_{io_.get_executor(), LogLevel::kError, "event=internal_error"};
  boost::asio::steady_timer tick_;
  boost::asio::steady_timer grace_;
  std::function<void()> on_ready_;
  std::function<void(std::string)> on_failed_;
  std::function<void()> on_stopped_;
  bool starting_ = true;
  bool stopping_ = false;
  bool sentinels_sent_ = false;
  bool pump_posted_ = false;
};

}  // namespace fibpool::supervisor
