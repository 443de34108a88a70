#include "supervisor/worker_pool.h"

#include <unistd.h>

#include <algorithm>

#include <spdlog/spdlog.h>
#include <boost/interprocess/shared_memory_object.hpp>

#include "ipc/result_buffer.h"
#include "ipc/scheduling.h"
#include "ipc/segment_names.h"
#include "supervisor/cost_model.h"
#include "supervisor/process_stat.h"

namespace fibpool::supervisor {

namespace asio = boost::asio;

namespace {

constexpr std::uint32_t kQueueCapacity = 1024;  // >= 2 x kMaxWorkers sentinels and jobs
constexpr std::chrono::milliseconds kTickPeriod{50};
// A worker that dies sooner than this after its start counts towards a crash loop.
constexpr std::uint64_t kQuickDeathNs = 1'000'000'000;
constexpr unsigned kQuickDeathsBeforeBackoff = 3;
constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{5'000};
// Estimated work a lane may hold ahead of its ready workers, per worker: two
// batches (ipc::kBatchCostNs), so that a worker finds the next batch waiting,
// and little enough that a job arriving later waits at most this long behind
// them.
constexpr std::uint64_t kQueuedCostPerWorkerNs = 2 * ipc::kBatchCostNs;
const char* const kLaneNames[] = {"main", "reserve"};

ipc::SharedSegment CreateQueueSegment(const std::string& name) {
  // A segment under our own pid can only be a dead namesake's leftover.
  boost::interprocess::shared_memory_object::remove(name.c_str());
  return ipc::SharedSegment::Create(name, ipc::JobQueue::BytesFor(kQueueCapacity, kMaxWorkers));
}

std::string Seconds(std::chrono::milliseconds ms) {
  const auto count = ms.count();
  return count % 1000 == 0 ? std::to_string(count / 1000) + " s" : std::to_string(count) + " ms";
}

std::uint64_t ToNanos(std::chrono::milliseconds ms) {
  return static_cast<std::uint64_t>(std::chrono::nanoseconds(ms).count());
}

}  // namespace

WorkerPool::WorkerPool(asio::io_context& io, PoolOptions options, Metrics* metrics)
    : io_(io),
      options_(std::move(options)),
      metrics_(metrics),
      workers_(2 * kMaxWorkers),
      tick_(io),
      grace_(io),
      respawn_(io) {
  for (const auto& name : ipc::RemoveStaleSegments()) {
    spdlog::info("event=stale_segment_removed name={}", name);
  }
  const pid_t self = ::getpid();
  const std::string names[] = {ipc::QueueSegmentName(self), ipc::ReserveQueueSegmentName(self)};
  for (std::size_t lane = 0; lane < lanes_.size(); ++lane) {
    Lane& l = lanes_[lane];
    l.segment = CreateQueueSegment(names[lane]);
    l.queue.emplace(
        ipc::JobQueue::Format(l.segment.data(), l.segment.size(), kQueueCapacity, kMaxWorkers));
  }
  lanes_[kMainLane].target = options_.workers;
  lanes_[kReserveLane].target = options_.reserve_workers;
}

WorkerPool::~WorkerPool() {
  // WorkerProcess destructors kill and reap whatever still runs.
  for (auto& w : workers_) w.process.reset();
}

ipc::WorkerCell& WorkerPool::CellFor(std::uint32_t slot) const {
  return lanes_[LaneOf(slot)].queue->cell(CellOf(slot));
}

void WorkerPool::Start(std::function<void()> on_ready, std::function<void(std::string)> on_failed) {
  on_ready_ = std::move(on_ready);
  on_failed_ = std::move(on_failed);
  for (std::size_t lane = 0; lane < lanes_.size(); ++lane) {
    for (std::uint32_t cell = 0; cell < lanes_[lane].target; ++cell) {
      SpawnInto(static_cast<std::uint32_t>(lane * kMaxWorkers + cell));
    }
  }
  Tick();
}

void WorkerPool::SpawnInto(std::uint32_t slot) {
  CellFor(slot).job_id.store(0);
  CellFor(slot).claimed.store(0);
  CellFor(slot).pid.store(0);
  // clang-format off
  const std::vector<std::string> args = {
      "--segment", lanes_[LaneOf(slot)].segment.name(),
      "--cell", std::to_string(CellOf(slot)),
      "--supervisor-pid", std::to_string(::getpid()),
      "--max-n", std::to_string(options_.max_n),
      "--spin-us", std::to_string(options_.worker_spin.count()),
      "--max-jobs", std::to_string(options_.max_jobs_per_worker),
      "--max-memory-mb", std::to_string(options_.max_worker_memory_mb),
      "--nice", std::to_string(LaneOf(slot) == kMainLane ? options_.worker_nice : 0),
      "--slice-us", std::to_string(LaneOf(slot) == kMainLane ? 0 : ipc::kLatencySlice.count()),
      "--log-level", options_.log_level,
  };
  // clang-format on
  WorkerProcess::Events events;
  events.on_ready = [this, slot](const ipc::ReadyMessage&) { OnReady(slot); };
  events.on_result = [this, slot](ipc::ResultMessage&& m) { OnResult(slot, std::move(m)); };
  events.on_protocol_error = [slot](const std::string& why) {
    spdlog::error("event=worker_protocol_error slot={} why=\"{}\"", slot, why);
  };
  events.on_exit = [this, slot](int code) { OnExit(slot, code); };
  workers_[slot] = Worker{};
  workers_[slot].process = WorkerProcess::Spawn(io_, options_.worker_path, args, std::move(events));
  workers_[slot].spawned_ns = ipc::MonotonicNanos();
  ++lanes_[LaneOf(slot)].live;
  spdlog::debug("event=worker_spawned lane={} cell={} pid={}", kLaneNames[LaneOf(slot)],
                CellOf(slot), workers_[slot].process->pid());
}

void WorkerPool::Replenish() {
  if (sentinels_sent_ || respawn_scheduled_) return;
  if (backoff_.count() == 0) {
    SpawnMissing();
    return;
  }
  respawn_scheduled_ = true;
  respawn_.expires_after(backoff_);
  respawn_.async_wait([this](const boost::system::error_code& ec) {
    respawn_scheduled_ = false;
    if (!ec && !sentinels_sent_) SpawnMissing();
  });
}

void WorkerPool::SpawnMissing() {
  for (std::size_t lane = 0; lane < lanes_.size(); ++lane) {
    const Lane& l = lanes_[lane];
    for (std::uint32_t cell = 0; cell < kMaxWorkers && LiveWorkers(lane) - l.retiring < l.target;
         ++cell) {
      const auto slot = static_cast<std::uint32_t>(lane * kMaxWorkers + cell);
      if (workers_[slot].process) continue;
      try {
        SpawnInto(slot);
      } catch (const std::exception& e) {
        backoff_ = std::clamp(backoff_ * 2, kFirstBackoff, kMaxBackoff);
        spdlog::error("event=worker_spawn_failed slot={} why=\"{}\" backoff_ms={}", slot, e.what(),
                      backoff_.count());
        Replenish();
        return;
      }
    }
  }
}

void WorkerPool::OnReady(std::uint32_t slot) {
  workers_[slot].ready = true;
  ++lanes_[LaneOf(slot)].ready;
  if (starting_ && ReadyWorkers(kMainLane) == lanes_[kMainLane].target &&
      ReadyWorkers(kReserveLane) == lanes_[kReserveLane].target) {
    starting_ = false;
    if (on_ready_) on_ready_();
  }
  Pump();
}

unsigned WorkerPool::ReadyWorkers(std::size_t lane) const { return lanes_[lane].ready; }

unsigned WorkerPool::LiveWorkers(std::size_t lane) const { return lanes_[lane].live; }

std::optional<std::uint64_t> WorkerPool::Submit(ipc::Algorithm algorithm, std::uint64_t n,
                                                JobCallback callback, ErrorCode* error) {
  if (stopping_) {
    *error = ErrorCode::kShuttingDown;
    return std::nullopt;
  }
  if (backlog_.size() >= options_.max_backlog) {
    *error = ErrorCode::kBusy;
    return std::nullopt;
  }
  const std::uint64_t id = next_job_id_++;
  const std::uint64_t now = ipc::MonotonicNanos();
  const std::uint64_t cost = EstimatedCostNanos(algorithm, n);
  const JobSize size = cost > kBigJobNanos ? JobSize::kBig : JobSize::kCheap;
  jobs_.emplace(id, PendingJob{algorithm, n, std::move(callback), now, now + cost, cost, size,
                               JobState::kBacklog});
  backlog_.Push(id, now + cost, size);
  PumpSoon();
  return id;
}

void WorkerPool::Abandon(std::uint64_t job_id) {
  auto it = jobs_.find(job_id);
  if (it == jobs_.end()) return;
  ++metrics_->jobs_cancelled;
  if (it->second.state == JobState::kBacklog) {
    jobs_.erase(it);  // the backlog skips ids it no longer finds
  } else {
    it->second.callback = nullptr;  // Tick() stops it if it runs for long
  }
  MaybeFinishStop();
}

bool WorkerPool::PushTo(std::size_t lane, std::uint64_t job_id) {
  PendingJob& job = jobs_.at(job_id);
  Lane& l = lanes_[lane];
  if (!l.queue->TryPush(
          ipc::Job{job_id, ipc::JobKind::kCompute, job.algorithm, job.n, job.cost_ns})) {
    return false;
  }
  job.state = JobState::kQueued;
  job.lane = lane;
  ++l.in_flight;
  l.cost_in_flight += job.cost_ns;
  if (job.size == JobSize::kBig) ++l.big_in_flight;
  return true;
}

void WorkerPool::LeaveLane(PendingJob& job) {
  Lane& l = lanes_[job.lane];
  --l.in_flight;
  l.cost_in_flight -= job.cost_ns;
  if (job.size == JobSize::kBig) --l.big_in_flight;
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
  // Main lane: a big job only when a main worker is free for it (no big job
  // waits in the queue where a cheap one would queue behind it); cheap jobs
  // also while nothing big is in the lane, up to kQueuedCostPerWorkerNs of
  // estimated work per worker, so that a worker finishing a job finds the
  // next without a round trip and takes tiny ones in batches.
  // Reserve lane: cheap jobs the main lane cannot start at once.
  Lane& main = lanes_[kMainLane];
  Lane& reserve = lanes_[kReserveLane];
  // Takes a worker will need for what is pushed (as JobQueue::PopBatch
  // groups jobs): how many consumers to wake.
  std::array<int, 2> takes{};
  std::array<std::uint64_t, 2> take_cost{};
  const std::uint64_t main_ready = ReadyWorkers(kMainLane);
  const std::uint64_t reserve_ready = ReadyWorkers(kReserveLane);
  for (;;) {
    const bool main_free = main.in_flight < main_ready;
    const bool cheap_to_main =
        main_free ||
        (main.big_in_flight == 0 && main.cost_in_flight < main_ready * kQueuedCostPerWorkerNs);
    const bool cheap_to_reserve = reserve.cost_in_flight < reserve_ready * kQueuedCostPerWorkerNs;
    std::size_t lane = kMainLane;
    std::optional<std::uint64_t> id = backlog_.Pop(cheap_to_main, main_free);
    if (!id && cheap_to_reserve) {
      lane = kReserveLane;
      id = backlog_.Pop(/*cheap_allowed=*/true, /*big_allowed=*/false);
    }
    if (!id) break;
    auto it = jobs_.find(*id);
    if (it == jobs_.end()) continue;  // abandoned while waiting
    if (!PushTo(lane, *id)) {
      backlog_.Push(*id, it->second.deadline, it->second.size);
      break;
    }
    const std::uint64_t cost = it->second.cost_ns;
    if (takes[lane] == 0 || take_cost[lane] + cost > ipc::kBatchCostNs) {
      ++takes[lane];
      take_cost[lane] = 0;
    }
    take_cost[lane] += cost;
  }
  for (std::size_t lane = 0; lane < lanes_.size(); ++lane) {
    if (takes[lane] > 0) lanes_[lane].queue->WakeConsumers(takes[lane]);
  }
}

void WorkerPool::OnResult(std::uint32_t slot, ipc::ResultMessage&& message) {
  ++workers_[slot].jobs_done;
  quick_deaths_ = 0;  // a worker that answers is not crash-looping
  backoff_ = std::chrono::milliseconds(0);
  JobResult result;
  switch (message.status) {
    case ipc::ResultStatus::kOk:
      if (message.buffer_name.empty()) {
        result.text = std::move(message.text);
      } else {
        std::string why;
        auto buffer = ipc::TakeResultBuffer(message.buffer_name, message.buffer_length, &why);
        if (buffer) {
          result.buffer = std::move(*buffer);
          result.buffer_length = message.buffer_length;
        } else {
          result.error = ErrorCode::kInternal;
          result.text = "result buffer lost: " + why;
        }
      }
      break;
    case ipc::ResultStatus::kOutOfRange:
      result.error = ErrorCode::kOutOfRange;
      result.text = std::move(message.text);
      break;
    default:
      result.error = ErrorCode::kInternal;
      result.text = std::move(message.text);
      break;
  }
  auto it = jobs_.find(message.job_id);
  if (it == jobs_.end() || it->second.state != JobState::kQueued) return;  // answered already
  Finish(message.job_id, std::move(result));
  PumpSoon();
}

void WorkerPool::Finish(std::uint64_t job_id, JobResult&& result) {
  auto it = jobs_.find(job_id);
  PendingJob& job = it->second;
  if (job.state == JobState::kQueued) LeaveLane(job);
  JobCallback callback = std::move(job.callback);
  if (callback) metrics_->RecordJob(job.algorithm, ipc::MonotonicNanos() - job.submitted_ns);
  jobs_.erase(it);
  if (callback) callback(std::move(result));
  MaybeFinishStop();
}

void WorkerPool::HandleLostJob(std::uint64_t job_id, bool was_running, KillCause cause) {
  // A result buffer the worker made but never announced.
  boost::interprocess::shared_memory_object::remove(
      ipc::ResultSegmentName(::getpid(), job_id).c_str());
  auto it = jobs_.find(job_id);
  if (it == jobs_.end() || it->second.state != JobState::kQueued) return;
  PendingJob& job = it->second;
  if (!was_running) {
    Requeue(job_id, job);  // taken in the same batch, not started: not its fault
  } else if (!job.callback) {
    Finish(job_id, {});  // abandoned: nobody to tell
  } else if (cause == KillCause::kTimeout) {
    ++metrics_->worker_timeouts;
    Finish(job_id, JobResult{ErrorCode::kTimeout,
                             "job ran past " + Seconds(options_.job_timeout) +
                                 "; its worker was killed and replaced",
                             {},
                             0});
  } else if (++job.attempts >= 2) {
    Finish(job_id,
           JobResult{ErrorCode::kWorkerCrashed, "the worker running this job died twice", {}, 0});
  } else {
    ++metrics_->job_retries;
    Requeue(job_id, job);
  }
}

void WorkerPool::Requeue(std::uint64_t job_id, PendingJob& job) {
  LeaveLane(job);
  job.state = JobState::kBacklog;
  backlog_.Push(job_id, job.deadline, job.size);
}

void WorkerPool::OnExit(std::uint32_t slot, int exit_code) {
  Worker worker = std::move(workers_[slot]);
  workers_[slot] = Worker{};
  Lane& lane = lanes_[LaneOf(slot)];
  --lane.live;
  if (worker.ready) --lane.ready;
  lane.queue->Repair();
  std::uint64_t running = 0;
  const std::vector<std::uint64_t> claimed = lane.queue->TakeClaims(CellOf(slot), &running);
  CellFor(slot).pid.store(0);
  const pid_t pid = worker.process->pid();

  const bool took_sentinel = exit_code == ipc::kExitSentinel;
  if (took_sentinel && lane.retiring > 0 && !sentinels_sent_) --lane.retiring;
  const char* cause = "crash";
  if (took_sentinel)
    cause = sentinels_sent_ ? "stop" : "resize";
  else if (exit_code == ipc::kExitRecycle)
    cause = "recycle";
  else if (worker.killed == KillCause::kTimeout)
    cause = "timeout";
  else if (worker.killed == KillCause::kCancel)
    cause = "cancel";
  else if (worker.killed == KillCause::kStop)
    cause = "stop_grace";
  const bool crashed = std::string_view(cause) == "crash";

  if (exit_code == ipc::kExitRecycle) ++metrics_->worker_recycles;
  if (worker.killed == KillCause::kCancel) ++metrics_->worker_cancels;
  if (crashed) {
    ++metrics_->worker_crashes;
    if (ipc::MonotonicNanos() - worker.spawned_ns < kQuickDeathNs) {
      ++quick_deaths_;
    } else {
      quick_deaths_ = 0;
      backoff_ = std::chrono::milliseconds(0);
    }
    if (quick_deaths_ >= kQuickDeathsBeforeBackoff) {
      backoff_ = std::clamp(backoff_ * 2, kFirstBackoff, kMaxBackoff);
      spdlog::error("event=crash_loop quick_deaths={} backoff_ms={}", quick_deaths_,
                    backoff_.count());
    }
  }
  if (crashed || worker.killed != KillCause::kNone) {
    spdlog::warn("event=worker_died lane={} cell={} pid={} exit_code={} job={} claimed={} cause={}",
                 kLaneNames[LaneOf(slot)], CellOf(slot), pid, exit_code, running, claimed.size(),
                 cause);
  } else {
    spdlog::info("event=worker_exited lane={} cell={} pid={} cause={}", kLaneNames[LaneOf(slot)],
                 CellOf(slot), pid, cause);
  }

  for (const std::uint64_t id : claimed) HandleLostJob(id, id == running, worker.killed);

  if (starting_ && !worker.ready) {
    starting_ = false;
    if (on_failed_) {
      on_failed_("worker exited with code " + std::to_string(exit_code) + " during start-up");
    }
    return;
  }
  Replenish();
  MaybeFinishStop();
  Pump();
}

void WorkerPool::KillWorker(std::uint32_t slot, KillCause cause) {
  Worker& w = workers_[slot];
  if (!w.process || w.killed != KillCause::kNone) return;
  w.killed = cause;
  w.process->Kill();
}

void WorkerPool::Tick() {
  const std::uint64_t now = ipc::MonotonicNanos();
  const std::uint64_t timeout_ns = ToNanos(options_.job_timeout);
  for (std::uint32_t slot = 0; slot < workers_.size(); ++slot) {
    Worker& w = workers_[slot];
    if (!w.process || w.killed != KillCause::kNone) continue;
    const std::uint64_t id = CellFor(slot).job_id.load(std::memory_order_acquire);
    if (id == 0) continue;
    const auto it = jobs_.find(id);
    if (it == jobs_.end()) continue;
    const std::uint64_t started = CellFor(slot).started_ns.load(std::memory_order_relaxed);
    const std::uint64_t ran = now > started ? now - started : 0;
    if (ran > timeout_ns) {
      spdlog::warn("event=job_timeout pid={} job={} limit_ms={}", w.process->pid(), id,
                   options_.job_timeout.count());
      KillWorker(slot, KillCause::kTimeout);
    } else if (!it->second.callback && ran > ToNanos(kCancelAfter)) {
      spdlog::info("event=job_cancelled pid={} job={}", w.process->pid(), id);
      KillWorker(slot, KillCause::kCancel);
    }
  }
  tick_.expires_after(kTickPeriod);
  tick_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) Tick();
  });
}

void WorkerPool::Resize(unsigned workers) {
  Lane& main = lanes_[kMainLane];
  if (stopping_ || workers == main.target) return;
  spdlog::info("event=resize from={} to={}", main.target, workers);
  main.target = workers;
  const unsigned effective = LiveWorkers(kMainLane) - main.retiring;
  if (effective > main.target) {
    const unsigned extra = effective - main.target;
    unsigned pushed = 0;
    while (pushed < extra && main.queue->TryPush(ipc::Job::Sentinel())) ++pushed;
    main.retiring += pushed;
    main.queue->WakeConsumers(static_cast<int>(pushed));
  } else {
    Replenish();
  }
}

void WorkerPool::Stop(std::function<void()> on_stopped) {
  stopping_ = true;
  on_stopped_ = std::move(on_stopped);
  MaybeFinishStop();
}

void WorkerPool::MaybeFinishStop() {
  if (!stopping_) return;
  const unsigned live = LiveWorkers(kMainLane) + LiveWorkers(kReserveLane);
  if (!sentinels_sent_) {
    if (!jobs_.empty()) return;
    sentinels_sent_ = true;
    respawn_.cancel();
    unsigned sent = 0;
    for (std::size_t lane = 0; lane < lanes_.size(); ++lane) {
      Lane& l = lanes_[lane];
      // Workers already retiring have their sentinel in the queue.
      const unsigned workers = LiveWorkers(lane);
      const unsigned needed = workers > l.retiring ? workers - l.retiring : 0;
      for (unsigned i = 0; i < needed; ++i) l.queue->TryPush(ipc::Job::Sentinel());
      l.queue->WakeConsumers(static_cast<int>(workers));
      sent += needed;
    }
    spdlog::info("event=pool_stopping sentinels={}", sent);
    grace_.expires_after(options_.stop_grace);
    grace_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      for (std::uint32_t slot = 0; slot < workers_.size(); ++slot) {
        if (workers_[slot].process) KillWorker(slot, KillCause::kStop);
      }
    });
  }
  if (live == 0 && on_stopped_) {
    tick_.cancel();
    grace_.cancel();
    asio::post(io_, std::exchange(on_stopped_, nullptr));
  }
}

std::vector<WorkerView> WorkerPool::Views(std::size_t lane) const {
  std::vector<WorkerView> views;
  for (std::uint32_t cell = 0; cell < kMaxWorkers; ++cell) {
    const auto slot = static_cast<std::uint32_t>(lane * kMaxWorkers + cell);
    const Worker& w = workers_[slot];
    if (!w.process) continue;
    const std::uint64_t job = CellFor(slot).job_id.load();
    const char* state = w.killed != KillCause::kNone ? "stopping"
                        : !w.ready                   ? "starting"
                        : job != 0                   ? "busy"
                                                     : "idle";
    WorkerView view{w.process->pid(), state, w.jobs_done, job};
    view.cpu_seconds = ProcessCpuSeconds(view.pid);
    if (const auto it = jobs_.find(job); job != 0 && it != jobs_.end()) {
      view.job_algorithm = it->second.algorithm;
      view.job_n = it->second.n;
      view.job_started_ns = CellFor(slot).started_ns.load();
    }
    views.push_back(std::move(view));
  }
  return views;
}

PoolSnapshot WorkerPool::Snapshot() const {
  PoolSnapshot s;
  s.workers = Views(kMainLane);
  s.reserve_workers = Views(kReserveLane);
  s.target_workers = lanes_[kMainLane].target;
  s.target_reserve_workers = lanes_[kReserveLane].target;
  s.taken_ns = ipc::MonotonicNanos();
  s.respawn_backoff_ms = static_cast<std::uint64_t>(backoff_.count());
  s.queue_depth = lanes_[kMainLane].queue->Depth() + lanes_[kReserveLane].queue->Depth();
  s.backlog = backlog_.size();
  s.jobs_pending = jobs_.size();
  s.lock_recoveries =
      lanes_[kMainLane].queue->recoveries() + lanes_[kReserveLane].queue->recoveries();
  return s;
}

}  // namespace fibpool::supervisor
