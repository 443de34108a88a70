#include "supervisor/worker_pool.h"

#include <unistd.h>

#include <algorithm>

#include <boost/interprocess/shared_memory_object.hpp>
#include <spdlog/spdlog.h>

#include "ipc/result_buffer.h"
#include "ipc/segment_names.h"
#include "supervisor/cost_model.h"

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

ipc::SharedSegment CreateQueueSegment() {
  for (const auto& name : ipc::RemoveStaleSegments()) {
    spdlog::info("event=stale_segment_removed name={}", name);
  }
  const std::string name = ipc::QueueSegmentName(::getpid());
  // A segment under our own pid can only be a dead namesake's leftover.
  boost::interprocess::shared_memory_object::remove(name.c_str());
  return ipc::SharedSegment::Create(name, ipc::JobQueue::BytesFor(kQueueCapacity, kMaxWorkers));
}

std::string Seconds(std::chrono::milliseconds ms) {
  const auto count = ms.count();
  return count % 1000 == 0 ? std::to_string(count / 1000) + " s"
                           : std::to_string(count) + " ms";
}

std::uint64_t ToNanos(std::chrono::milliseconds ms) {
  return static_cast<std::uint64_t>(std::chrono::nanoseconds(ms).count());
}

}  // namespace

WorkerPool::WorkerPool(asio::io_context& io, PoolOptions options, Metrics* metrics)
    : io_(io),
      options_(std::move(options)),
      metrics_(metrics),
      segment_(CreateQueueSegment()),
      queue_(ipc::JobQueue::Format(segment_.data(), segment_.size(), kQueueCapacity, kMaxWorkers)),
      workers_(kMaxWorkers),
      tick_(io),
      grace_(io),
      respawn_(io),
      target_(options_.workers) {}

WorkerPool::~WorkerPool() {
  // WorkerProcess destructors kill and reap whatever still runs.
  for (auto& w : workers_) w.process.reset();
}

void WorkerPool::Start(std::function<void()> on_ready, std::function<void(std::string)> on_failed) {
  on_ready_ = std::move(on_ready);
  on_failed_ = std::move(on_failed);
  for (std::uint32_t cell = 0; cell < target_; ++cell) SpawnInto(cell);
  Tick();
}

void WorkerPool::SpawnInto(std::uint32_t cell) {
  queue_.cell(cell).job_id.store(0);
  queue_.cell(cell).pid.store(0);
  const std::vector<std::string> args = {
      "--segment", segment_.name(),
      "--cell", std::to_string(cell),
      "--supervisor-pid", std::to_string(::getpid()),
      "--max-n", std::to_string(options_.max_n),
      "--spin-us", std::to_string(options_.worker_spin.count()),
      "--max-jobs", std::to_string(options_.max_jobs_per_worker),
      "--max-memory-mb", std::to_string(options_.max_worker_memory_mb),
      "--log-level", options_.log_level,
  };
  WorkerProcess::Events events;
  events.on_ready = [this, cell](const ipc::ReadyMessage&) { OnReady(cell); };
  events.on_result = [this, cell](ipc::ResultMessage&& m) { OnResult(cell, std::move(m)); };
  events.on_protocol_error = [cell](const std::string& why) {
    spdlog::error("event=worker_protocol_error cell={} why=\"{}\"", cell, why);
  };
  events.on_exit = [this, cell](int code) { OnExit(cell, code); };
  workers_[cell] = Worker{};
  workers_[cell].process = WorkerProcess::Spawn(io_, options_.worker_path, args, std::move(events));
  workers_[cell].spawned_ns = ipc::MonotonicNanos();
  spdlog::debug("event=worker_spawned cell={} pid={}", cell, workers_[cell].process->pid());
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
  for (std::uint32_t cell = 0; cell < workers_.size() && LiveWorkers() - retiring_ < target_;
       ++cell) {
    if (workers_[cell].process) continue;
    try {
      SpawnInto(cell);
    } catch (const std::exception& e) {
      backoff_ = std::clamp(backoff_ * 2, kFirstBackoff, kMaxBackoff);
      spdlog::error("event=worker_spawn_failed cell={} why=\"{}\" backoff_ms={}", cell, e.what(),
                    backoff_.count());
      Replenish();
      return;
    }
  }
}

void WorkerPool::OnReady(std::uint32_t cell) {
  workers_[cell].ready = true;
  if (starting_ && ReadyWorkers() == target_) {
    starting_ = false;
    if (on_ready_) on_ready_();
  }
  Pump();
}

unsigned WorkerPool::ReadyWorkers() const {
  unsigned n = 0;
  for (const auto& w : workers_) n += (w.process && w.ready) ? 1 : 0;
  return n;
}

unsigned WorkerPool::LiveWorkers() const {
  unsigned n = 0;
  for (const auto& w : workers_) n += w.process ? 1 : 0;
  return n;
}

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
  const std::uint64_t deadline = now + EstimatedCostNanos(algorithm, n);
  jobs_.emplace(id, PendingJob{algorithm, n, std::move(callback), now, deadline,
                               JobState::kBacklog});
  backlog_.Push(id, deadline);
  Pump();
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

void WorkerPool::Pump() {
  const std::uint64_t limit = 2 * static_cast<std::uint64_t>(ReadyWorkers());
  int pushed = 0;
  while (in_flight_ < limit && !backlog_.empty()) {
    const std::uint64_t id = *backlog_.Pop();
    auto it = jobs_.find(id);
    if (it == jobs_.end()) continue;
    PendingJob& job = it->second;
    if (!queue_.TryPush(ipc::Job{id, ipc::JobKind::kCompute, job.algorithm, job.n})) {
      backlog_.Push(id, job.deadline);
      break;
    }
    job.state = JobState::kQueued;
    ++in_flight_;
    ++pushed;
  }
  if (pushed > 0) queue_.WakeConsumers(pushed);
}

void WorkerPool::OnResult(std::uint32_t cell, ipc::ResultMessage&& message) {
  ++workers_[cell].jobs_done;
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
  --in_flight_;
  Finish(message.job_id, std::move(result));
  Pump();
}

void WorkerPool::Finish(std::uint64_t job_id, JobResult&& result) {
  auto it = jobs_.find(job_id);
  JobCallback callback = std::move(it->second.callback);
  if (callback) {
    metrics_->RecordJob(it->second.algorithm, ipc::MonotonicNanos() - it->second.submitted_ns);
  }
  jobs_.erase(it);
  if (callback) callback(std::move(result));
  MaybeFinishStop();
}

void WorkerPool::HandleLostJob(std::uint64_t job_id, KillCause cause) {
  // A result buffer the worker made but never announced.
  boost::interprocess::shared_memory_object::remove(
      ipc::ResultSegmentName(::getpid(), job_id).c_str());
  auto it = jobs_.find(job_id);
  if (it == jobs_.end() || it->second.state != JobState::kQueued) return;
  --in_flight_;
  PendingJob& job = it->second;
  if (!job.callback) {
    Finish(job_id, {});  // abandoned: nobody to tell
  } else if (cause == KillCause::kTimeout) {
    ++metrics_->worker_timeouts;
    Finish(job_id, JobResult{ErrorCode::kTimeout,
                             "job ran past " + Seconds(options_.job_timeout) +
                                 "; its worker was killed and replaced",
                             {}, 0});
  } else if (++job.attempts >= 2) {
    Finish(job_id, JobResult{ErrorCode::kWorkerCrashed,
                             "the worker running this job died twice", {}, 0});
  } else {
    ++metrics_->job_retries;
    job.state = JobState::kBacklog;
    backlog_.Push(job_id, job.deadline);
  }
}

void WorkerPool::OnExit(std::uint32_t cell, int exit_code) {
  Worker worker = std::move(workers_[cell]);
  workers_[cell] = Worker{};
  queue_.Repair();
  const std::uint64_t claimed = queue_.cell(cell).job_id.exchange(0);
  queue_.cell(cell).pid.store(0);
  const pid_t pid = worker.process->pid();

  const bool took_sentinel = exit_code == ipc::kExitSentinel;
  if (took_sentinel && retiring_ > 0 && !sentinels_sent_) --retiring_;
  const char* cause = "crash";
  if (took_sentinel) cause = sentinels_sent_ ? "stop" : "resize";
  else if (exit_code == ipc::kExitRecycle) cause = "recycle";
  else if (worker.killed == KillCause::kTimeout) cause = "timeout";
  else if (worker.killed == KillCause::kCancel) cause = "cancel";
  else if (worker.killed == KillCause::kStop) cause = "stop_grace";
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
    spdlog::warn("event=worker_died cell={} pid={} exit_code={} job={} cause={}", cell, pid,
                 exit_code, claimed, cause);
  } else {
    spdlog::info("event=worker_exited cell={} pid={} cause={}", cell, pid, cause);
  }

  if (claimed != 0) HandleLostJob(claimed, worker.killed);

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

void WorkerPool::KillWorker(std::uint32_t cell, KillCause cause) {
  Worker& w = workers_[cell];
  if (!w.process || w.killed != KillCause::kNone) return;
  w.killed = cause;
  w.process->Kill();
}

void WorkerPool::Tick() {
  const std::uint64_t now = ipc::MonotonicNanos();
  const std::uint64_t timeout_ns = ToNanos(options_.job_timeout);
  for (std::uint32_t cell = 0; cell < workers_.size(); ++cell) {
    Worker& w = workers_[cell];
    if (!w.process || w.killed != KillCause::kNone) continue;
    const std::uint64_t id = queue_.cell(cell).job_id.load(std::memory_order_acquire);
    if (id == 0) continue;
    const auto it = jobs_.find(id);
    if (it == jobs_.end()) continue;
    const std::uint64_t started = queue_.cell(cell).started_ns.load(std::memory_order_relaxed);
    const std::uint64_t ran = now > started ? now - started : 0;
    if (ran > timeout_ns) {
      spdlog::warn("event=job_timeout cell={} pid={} job={} limit_ms={}", cell,
                   w.process->pid(), id, options_.job_timeout.count());
      KillWorker(cell, KillCause::kTimeout);
    } else if (!it->second.callback && ran > ToNanos(kCancelAfter)) {
      spdlog::info("event=job_cancelled cell={} pid={} job={}", cell, w.process->pid(), id);
      KillWorker(cell, KillCause::kCancel);
    }
  }
  tick_.expires_after(kTickPeriod);
  tick_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) Tick();
  });
}

void WorkerPool::Resize(unsigned workers) {
  if (stopping_ || workers == target_) return;
  spdlog::info("event=resize from={} to={}", target_, workers);
  target_ = workers;
  const unsigned effective = LiveWorkers() - retiring_;
  if (effective > target_) {
    const unsigned extra = effective - target_;
    unsigned pushed = 0;
    while (pushed < extra && queue_.TryPush(ipc::Job::Sentinel())) ++pushed;
    retiring_ += pushed;
    queue_.WakeConsumers(static_cast<int>(pushed));
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
  const unsigned live = LiveWorkers();
  if (!sentinels_sent_) {
    if (!jobs_.empty()) return;
    sentinels_sent_ = true;
    respawn_.cancel();
    // Workers already retiring have their sentinel in the queue.
    const unsigned needed = live > retiring_ ? live - retiring_ : 0;
    for (unsigned i = 0; i < needed; ++i) queue_.TryPush(ipc::Job::Sentinel());
    queue_.WakeConsumers(static_cast<int>(live));
    spdlog::info("event=pool_stopping sentinels={}", needed);
    grace_.expires_after(options_.stop_grace);
    grace_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      for (std::uint32_t cell = 0; cell < workers_.size(); ++cell) {
        if (workers_[cell].process) KillWorker(cell, KillCause::kStop);
      }
    });
  }
  if (live == 0 && on_stopped_) {
    tick_.cancel();
    grace_.cancel();
    asio::post(io_, std::exchange(on_stopped_, nullptr));
  }
}

PoolSnapshot WorkerPool::Snapshot() const {
  PoolSnapshot s;
  for (std::uint32_t cell = 0; cell < workers_.size(); ++cell) {
    const Worker& w = workers_[cell];
    if (!w.process) continue;
    const std::uint64_t job = queue_.cell(cell).job_id.load();
    const char* state = !w.ready ? "starting" : (job != 0 ? "busy" : "idle");
    s.workers.push_back(WorkerView{w.process->pid(), state, w.jobs_done, job});
  }
  s.target_workers = target_;
  s.respawn_backoff_ms = static_cast<std::uint64_t>(backoff_.count());
  s.queue_depth = queue_.Depth();
  s.backlog = backlog_.size();
  s.jobs_pending = jobs_.size();
  s.lock_recoveries = queue_.recoveries();
  return s;
}

std::vector<pid_t> WorkerPool::WorkerPids() const {
  std::vector<pid_t> pids;
  for (const auto& w : workers_) {
    if (w.process) pids.push_back(w.process->pid());
  }
  return pids;
}

}  // namespace fibpool::supervisor
