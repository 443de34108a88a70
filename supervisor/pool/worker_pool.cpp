#include "supervisor/pool/worker_pool.h"

#include <unistd.h>

#include <algorithm>

#include <spdlog/spdlog.h>

#include "ipc/segment_names.h"
#include "os/monotonic_clock.h"
#include "os/scheduling.h"
#include "supervisor/config/slot_layout.h"
#include "supervisor/pool/worker_result.h"
#include "supervisor/sched/cost_model.h"

namespace fibpool::supervisor {

namespace asio = boost::asio;

namespace {

constexpr std::uint32_t kQueueCapacity = 1024;  // >= 2 x kMaxWorkers sentinels and jobs
constexpr std::chrono::milliseconds kTickPeriod{50};

}  // namespace

WorkerPool::WorkerPool(asio::io_context& io, PoolOptions options, Metrics* metrics)
    : io_(io),
      options_(std::move(options)),
      metrics_(metrics),
      workers_(2),
      routing_{std::make_shared<ResultLease::Owner>(), os::SharedSegment::FreeBytes},
      admission_(options_.settings),
      spawner_(io, options_, lanes_, workers_,
               [this](std::uint32_t slot) { return EventsOf(slot); }),
      tick_(io),
      grace_(io) {
  for (const auto& name : ipc::RemoveStaleSegments()) {
    spdlog::info("event=stale_segment_removed name={}", name);
  }
  lanes_[kMainLane] =
      Lane::CreateOrThrow(ipc::QueueSegmentName(self_pid_), kQueueCapacity, kMaxWorkers);
  lanes_[kReserveLane] =
      Lane::CreateOrThrow(ipc::ReserveQueueSegmentName(self_pid_), kQueueCapacity, kMaxWorkers);
  lanes_[kMainLane].set_target(options_.settings.workers);
  lanes_[kReserveLane].set_target(options_.settings.reserve_workers);
  // A released result may let a job waiting for shared memory go.
  routing_.results->on_release = [this] { PumpSoon(); };
  routing_.results->executor = io_.get_executor();
  spdlog::info("event=result_budget shm_free_bytes={}", routing_.shm_free());
}

ipc::WorkerCell& WorkerPool::CellFor(std::uint32_t slot) const {
  return lanes_[LaneOf(slot)].queue().cell(CellOf(slot));
}

WorkerPool::~WorkerPool() { routing_.results->on_release = nullptr; }

void WorkerPool::Start(std::function<void()> on_ready, std::function<void(std::string)> on_failed) {
  on_ready_ = std::move(on_ready);
  on_failed_ = std::move(on_failed);
  spawner_.Start();
  Tick();
}

WorkerProcess::Events WorkerPool::EventsOf(std::uint32_t slot) {
  WorkerProcess::Events events;
  events.on_ready = [this, slot](const ipc::ReadyMessage&) { OnReady(slot); };
  events.on_result = [this, slot](ipc::ResultMessage&& m) { OnResult(slot, std::move(m)); };
  events.on_protocol_error = [slot](boost::system::error_code ec) {
    spdlog::error("event=worker_protocol_error slot={} why=\"{}\"", slot, ec.message());
  };
  events.on_exit = [this, slot](ExitStatus status) { OnExit(slot, status); };
  return events;
}

void WorkerPool::OnReady(std::uint32_t slot) {
  workers_[slot].ready = true;
  lanes_[LaneOf(slot)].OnReady();
  if (starting_ && lanes_[kMainLane].ready() == lanes_[kMainLane].target() &&
      lanes_[kReserveLane].ready() == lanes_[kReserveLane].target()) {
    starting_ = false;
    if (on_ready_) on_ready_();
  }
  Pump();
}

std::uint64_t WorkerPool::Submit(const JobSpec& spec, const std::string& flow,
                                 JobCallback callback) {
  const std::uint64_t now = os::MonotonicNanos();
  AdmissionDecision decision =
      admission_.Decide(spec, flow, stopping_, PoolWork{backlog_, jobs_, lanes_, workers_},
                        routing_.results->budget.waiting(), now);
  if (decision.busy) metrics_->CountBusy(*decision.busy);
  if (decision.refusal) {
    Refuse(std::move(callback), std::move(*decision.refusal));
    return 0;
  }
  if (decision.push_out) PushOutLast(*decision.push_out);
  const std::uint64_t id = jobs_.Add(spec, decision.cost_ns, flow, std::move(callback), now);
  const PendingJob& job = *jobs_.Find(id);
  backlog_.Push(job.flow, id, job.deadline, job.size);
  PumpSoon();
  return id;
}

void WorkerPool::Refuse(JobCallback callback, Refusal&& refusal) {
  asio::post(io_, [callback = std::move(callback), refusal = std::move(refusal)]() mutable {
    callback(JobResult::Error(refusal.code, std::move(refusal.detail)));
  });
}

void WorkerPool::PushOutLast(const std::string& flow) {
  const std::optional<std::uint64_t> id = backlog_.RemoveLast(flow);
  if (!id || jobs_.Find(*id) == nullptr) return;  // abandoned: nobody to answer
  metrics_->CountBusy(BusyReason::kFlowShare);
  asio::post(io_, [this, id = *id] {  // callbacks never run inside Submit()
    const PendingJob* job = jobs_.Find(id);
    if (job == nullptr || job->state != PendingJob::State::kBacklog) return;
    Finish(id, JobResult::Error(AnswerError::kBusy, BusyDetail(BusyReason::kFlowShare)));
  });
}

void WorkerPool::Abandon(std::uint64_t job_id) {
  PendingJob* job = jobs_.Find(job_id);
  if (job == nullptr) return;
  ++metrics_->jobs_cancelled;
  if (job->state == PendingJob::State::kBacklog) {
    jobs_.Erase(job_id);  // the backlog skips ids it no longer finds
  } else if (job->state == PendingJob::State::kWaitingForShm) {
    backlog_.Finished(job->flow);
    jobs_.Erase(job_id);  // the line for shared memory skips it likewise
  } else {
    job->callback = nullptr;  // Tick() stops it if it runs for long
  }
  MaybeFinishStop();
}

void WorkerPool::PumpSoon() {
  if (pump_posted_) return;
  pump_posted_ = true;
  asio::post(io_, [this] {
    pump_posted_ = false;
    Pump();
  });
}

void WorkerPool::Pump() {
  DispatchWaiting(backlog_, jobs_, lanes_[kMainLane], lanes_[kReserveLane], routing_);
}

void WorkerPool::OnResult(std::uint32_t slot, ipc::ResultMessage&& message) {
  Worker& worker = workers_[slot];
  ++worker.jobs_done;
  worker.job_cpu_ns += message.cpu_ns;
  worker.peak_rss_bytes = std::max(worker.peak_rss_bytes, message.peak_rss_bytes);
  spawner_.OnAnswer();  // a worker that answers is not crash-looping
  const std::uint64_t id = message.job_id;
  PendingJob* job = jobs_.Find(id);
  if (job != nullptr && message.status == ipc::ResultStatus::kOk) RecordCost(*job, message);
  JobResult result = ResultOf(std::move(message), self_pid_, worker.process->pid());
  if (job == nullptr || job->state != PendingJob::State::kQueued) return;  // answered already
  if (!result.error) {
    // The digits hold the budget until they are written.
    if (!result.payload.buffer.empty()) job->lease.Arrived();
    result.payload.lease = std::move(job->lease);
  }
  Finish(id, std::move(result));
  PumpSoon();
}

void WorkerPool::RecordCost(const PendingJob& job, const ipc::ResultMessage& message) {
  metrics_->job_cost.Record(job.spec.algorithm, job.spec.n, message.cpu_ns,
                            message.peak_rss_bytes);
  if (CostCorrection::Teaches(job.spec.cost_ns)) {
    metrics_->estimate_error[ipc::AlgorithmIndex(job.spec.algorithm)].Record(
        static_cast<double>(message.cpu_ns) /
        static_cast<double>(std::max<std::uint64_t>(job.cost_ns, 1)));
  }
  admission_.Learn(job.spec, message.cpu_ns);
}

void WorkerPool::Finish(std::uint64_t job_id, JobResult&& result) {
  PendingJob& job = *jobs_.Find(job_id);
  if (job.state == PendingJob::State::kQueued) {
    lanes_[job.lane].Resolve(job_id);
    backlog_.Finished(job.flow);
  }
  if (result.error == AnswerError::kInternal) LogInternalError(job, result.payload.text);
  JobCallback callback = std::move(job.callback);
  if (callback)
    metrics_->RecordJob(job.spec.algorithm, job.size, os::MonotonicNanos() - job.submitted_ns);
  jobs_.Erase(job_id);
  if (callback) callback(std::move(result));
  MaybeFinishStop();
}

void WorkerPool::LogInternalError(const PendingJob& job, const std::string& reason) {
  std::uint64_t suppressed = 0;
  if (!internal_errors_.Admit(&suppressed)) return;
  spdlog::error("event=internal_error algorithm={} n={} flow={} reason=\"{}\" suppressed={}",
                ipc::AlgorithmName(job.spec.algorithm), job.spec.n, job.flow, reason, suppressed);
}

void WorkerPool::HandleLostJob(std::uint64_t job_id, bool was_running, KillCause cause) {
  PendingJob* job = jobs_.Find(job_id);
  if (job == nullptr || job->state != PendingJob::State::kQueued) return;
  const LostJob action = OnWorkerLost(*job, was_running, cause);
  switch (action) {
    case LostJob::kRequeue:
      Requeue(job_id, *job);
      break;
    case LostJob::kRetry:
      ++metrics_->job_retries;
      Requeue(job_id, *job);
      break;
    case LostJob::kCrashedTwice:
      admission_.Quarantine(job->spec, os::MonotonicNanos());
      ++metrics_->inputs_quarantined;
      spdlog::warn("event=input_quarantined algorithm={} n={} period_ms={}",
                   ipc::AlgorithmName(job->spec.algorithm), job->spec.n,
                   options_.settings.quarantine_period.count());
      Finish(job_id, LostJobAnswer(action, options_.settings.job_timeout));
      break;
    case LostJob::kTimeout:
      ++metrics_->worker_timeouts;
      [[fallthrough]];
    case LostJob::kDrop:
      Finish(job_id, LostJobAnswer(action, options_.settings.job_timeout));
      break;
  }
}

void WorkerPool::Requeue(std::uint64_t job_id, PendingJob& job) {
  lanes_[job.lane].Resolve(job_id);
  job.lease = ResultLease();  // its result is not coming: routed anew when it goes again
  backlog_.Finished(job.flow);
  job.state = PendingJob::State::kBacklog;
  backlog_.Push(job.flow, job_id, job.deadline, job.size);
}

void WorkerPool::OnExit(std::uint32_t slot, ExitStatus status) {
  const Worker worker = workers_.Vacate(slot);
  Lane& lane = lanes_[LaneOf(slot)];
  const ExitCause cause = ClassifyExit(status, worker.killed, sentinels_sent_);
  lane.OnExited(worker.ready, cause == ExitCause::kResize);
  std::uint64_t running = 0;
  const std::vector<std::uint64_t> claimed = lane.Reclaim(CellOf(slot), &running);

  if (cause == ExitCause::kRecycle) ++metrics_->worker_recycles;
  if (cause == ExitCause::kCancel) ++metrics_->worker_cancels;
  if (cause == ExitCause::kCrash) ++metrics_->worker_crashes;
  spawner_.OnExited(slot, worker, status, cause, running, JobLogFields(jobs_.Find(running)),
                    claimed.size());
  for (const std::uint64_t id : claimed) {
    // A result buffer the worker made but never announced.
    os::SharedSegment::Remove(ipc::ResultSegmentName(self_pid_, id, worker.process->pid()));
    HandleLostJob(id, id == running, worker.killed);
  }

  if (starting_ && !worker.ready) {
    starting_ = false;
    if (on_failed_) {
      on_failed_("worker exited (" + ExitStatusText(status) + ") during start-up");
    }
    return;
  }
  spawner_.Replenish();
  MaybeFinishStop();
  Pump();
}

void WorkerPool::Tick() {
  const std::uint64_t now = os::MonotonicNanos();
  for (std::uint32_t slot = 0; slot < workers_.size(); ++slot) {
    Worker& w = workers_[slot];
    if (!w.process || w.killed != KillCause::kNone) continue;
    const std::uint64_t id = CellFor(slot).job_id.load(std::memory_order_acquire);
    if (id == 0) continue;
    const PendingJob* job = jobs_.Find(id);
    if (job == nullptr) continue;
    const std::uint64_t started = CellFor(slot).started_ns.load(std::memory_order_relaxed);
    const std::chrono::nanoseconds ran(now > started ? now - started : 0);
    const Overrun overrun = CheckRunning(*job, ran, options_.settings.job_timeout);
    if (overrun == Overrun::kTimeout) {
      spdlog::warn("event=job_timeout pid={} job={} limit_ms={}", w.process->pid(), id,
                   options_.settings.job_timeout.count());
      workers_.Kill(slot, KillCause::kTimeout);
    } else if (overrun == Overrun::kCancel) {
      spdlog::info("event=job_cancelled pid={} job={}", w.process->pid(), id);
      workers_.Kill(slot, KillCause::kCancel);
    }
  }
  AnswerLostJobs(now);
  tick_.expires_after(kTickPeriod);
  tick_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) Tick();
  });
}

void WorkerPool::AnswerLostJobs(std::uint64_t now_ns) {
  std::vector<std::uint64_t> unaccounted;
  for (const Lane& lane : lanes_) lane.AppendUnaccounted(&unaccounted);
  for (const std::uint64_t id : lost_jobs_.Sweep(unaccounted, now_ns)) {
    const PendingJob* job = jobs_.Find(id);
    if (job == nullptr || job->state != PendingJob::State::kQueued) continue;
    Finish(id, JobResult::Error(AnswerError::kInternal,
                                "job lost: no worker took it from its queue (a slot that "
                                "could not be read) and none answered it"));
  }
}

void WorkerPool::Resize(unsigned workers) {
  Lane& main = lanes_[kMainLane];
  if (stopping_ || workers == main.target()) return;
  spdlog::info("event=resize from={} to={}", main.target(), workers);
  main.set_target(workers);
  if (main.Missing() > 0) spawner_.Replenish();
  main.RetireExtra();
}

void WorkerPool::Stop(std::function<void()> on_stopped) {
  stopping_ = true;
  on_stopped_ = std::move(on_stopped);
  MaybeFinishStop();
}

void WorkerPool::MaybeFinishStop() {
  if (!stopping_) return;
  if (!sentinels_sent_) {
    if (!jobs_.empty()) return;
    sentinels_sent_ = true;
    spawner_.Stop();
    unsigned sent = 0;
    for (Lane& lane : lanes_) sent += lane.SendStopSentinels();
    spdlog::info("event=pool_stopping sentinels={}", sent);
    grace_.expires_after(options_.stop_grace);
    grace_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      workers_.KillAll(KillCause::kStop);
    });
  }
  if (lanes_[kMainLane].live() + lanes_[kReserveLane].live() == 0 && on_stopped_) {
    tick_.cancel();
    grace_.cancel();
    asio::post(io_, std::exchange(on_stopped_, nullptr));
  }
}

PoolSnapshot WorkerPool::Snapshot() const {
  PoolSnapshot s;
  s.workers = workers_.Views(kMainLane, lanes_[kMainLane].queue(), jobs_);
  s.reserve_workers = workers_.Views(kReserveLane, lanes_[kReserveLane].queue(), jobs_);
  s.target_workers = lanes_[kMainLane].target();
  s.target_reserve_workers = lanes_[kReserveLane].target();
  s.taken_ns = os::MonotonicNanos();
  s.respawn_backoff_ms = static_cast<std::uint64_t>(spawner_.backoff().count());
  s.queue_depth = lanes_[kMainLane].queue().Depth() + lanes_[kReserveLane].queue().Depth();
  s.backlog = backlog_.size();
  s.top_flows = backlog_.TopFlows(kReportedFlows);
  s.quarantined_inputs = admission_.quarantined(s.taken_ns);
  for (const ipc::Algorithm a : {ipc::Algorithm::kFast, ipc::Algorithm::kRecursive}) {
    s.cost_factors[ipc::AlgorithmIndex(a)] = admission_.cost_factor(a);
  }
  s.jobs_pending = jobs_.size();
  s.lock_recoveries =
      lanes_[kMainLane].queue().recoveries() + lanes_[kReserveLane].queue().recoveries();
  const ResultBudget& budget = routing_.results->budget;
  s.jobs_waiting_for_shm = budget.waiting();
  s.result_bytes_in_flight = budget.in_flight_bytes();
  s.result_bytes_held = budget.held_bytes();
  s.result_bytes_piped = budget.piped_bytes();
  s.shm_free_bytes = routing_.shm_free();
  s.jobs_waited_for_shm = budget.waits();
  s.results_piped = budget.pipes();
  return s;
}

}  // namespace fibpool::supervisor
