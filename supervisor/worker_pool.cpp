#include "supervisor/worker_pool.h"

#include <unistd.h>

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

}  // namespace

WorkerPool::WorkerPool(asio::io_context& io, PoolOptions options, Metrics* metrics)
    : io_(io),
      options_(std::move(options)),
      metrics_(metrics),
      segment_(CreateQueueSegment()),
      queue_(ipc::JobQueue::Format(segment_.data(), segment_.size(), kQueueCapacity, kMaxWorkers)),
      workers_(kMaxWorkers),
      tick_(io),
      grace_(io) {}

WorkerPool::~WorkerPool() {
  // WorkerProcess destructors kill and reap whatever still runs.
  for (auto& w : workers_) w.process.reset();
}

void WorkerPool::Start(std::function<void()> on_ready, std::function<void(std::string)> on_failed) {
  on_ready_ = std::move(on_ready);
  on_failed_ = std::move(on_failed);
  for (std::uint32_t cell = 0; cell < options_.workers; ++cell) SpawnInto(cell);
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
  spdlog::debug("event=worker_spawned cell={} pid={}", cell, workers_[cell].process->pid());
}

void WorkerPool::OnReady(std::uint32_t cell) {
  workers_[cell].ready = true;
  if (starting_ && ReadyWorkers() == options_.workers) {
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
  if (it->second.state == JobState::kBacklog) {
    jobs_.erase(it);  // the backlog skips ids it no longer finds
  } else {
    it->second.callback = nullptr;  // it runs; its answer is dropped
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
  metrics_->job_latency.Record(ipc::MonotonicNanos() - it->second.submitted_ns);
  jobs_.erase(it);
  if (callback) callback(std::move(result));
  MaybeFinishStop();
}

void WorkerPool::OnExit(std::uint32_t cell, int exit_code) {
  Worker worker = std::move(workers_[cell]);
  workers_[cell] = Worker{};
  queue_.Repair();
  const std::uint64_t claimed = queue_.cell(cell).job_id.exchange(0);
  queue_.cell(cell).pid.store(0);
  const bool expected = sentinels_sent_ && exit_code == 0;
  if (!expected && !worker.retiring) ++metrics_->worker_crashes;
  if (expected) {
    spdlog::debug("event=worker_exited cell={} pid={}", cell, worker.process->pid());
  } else {
    spdlog::warn("event=worker_died cell={} pid={} exit_code={} job={} cause={}", cell,
                 worker.process->pid(), exit_code, claimed,
                 worker.timed_out_job ? "timeout" : (worker.retiring ? "killed" : "crash"));
  }

  if (claimed != 0) {
    // A result buffer the worker made but never announced.
    boost::interprocess::shared_memory_object::remove(
        ipc::ResultSegmentName(::getpid(), claimed).c_str());
    auto it = jobs_.find(claimed);
    if (it != jobs_.end() && it->second.state == JobState::kQueued) {
      --in_flight_;
      PendingJob& job = it->second;
      if (worker.timed_out_job == claimed) {
        ++metrics_->worker_timeouts;
        Finish(claimed, JobResult{ErrorCode::kTimeout,
                                  "job ran past " + Seconds(options_.job_timeout) +
                                      "; its worker was killed and replaced",
                                  {}, 0});
      } else if (!job.callback || ++job.attempts >= 2) {
        Finish(claimed, JobResult{ErrorCode::kWorkerCrashed,
                                  "the worker running this job died twice", {}, 0});
      } else {
        ++metrics_->job_retries;
        job.state = JobState::kBacklog;
        backlog_.Push(claimed, job.deadline);
      }
    }
  }

  if (starting_ && !worker.ready) {
    starting_ = false;
    if (on_failed_) {
      on_failed_("worker exited with code " + std::to_string(exit_code) + " during start-up");
    }
    return;
  }
  if (!sentinels_sent_) {
    try {
      SpawnInto(cell);
    } catch (const std::exception& e) {
      spdlog::error("event=worker_spawn_failed cell={} why=\"{}\"", cell, e.what());
    }
  }
  MaybeFinishStop();
  Pump();
}

void WorkerPool::Tick() {
  const std::uint64_t now = ipc::MonotonicNanos();
  const auto timeout_ns = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(options_.job_timeout).count());
  for (std::uint32_t cell = 0; cell < workers_.size(); ++cell) {
    Worker& w = workers_[cell];
    if (!w.process || w.timed_out_job != 0) continue;
    const std::uint64_t id = queue_.cell(cell).job_id.load(std::memory_order_acquire);
    if (id == 0 || !jobs_.contains(id)) continue;
    const std::uint64_t started = queue_.cell(cell).started_ns.load(std::memory_order_relaxed);
    if (now > started && now - started > timeout_ns) {
      spdlog::warn("event=job_timeout cell={} pid={} job={} limit_ms={}", cell,
                   w.process->pid(), id, options_.job_timeout.count());
      w.timed_out_job = id;
      w.retiring = true;
      w.process->Kill();
    }
  }
  tick_.expires_after(kTickPeriod);
  tick_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) Tick();
  });
}

void WorkerPool::Stop(std::function<void()> on_stopped) {
  stopping_ = true;
  on_stopped_ = std::move(on_stopped);
  MaybeFinishStop();
}

void WorkerPool::MaybeFinishStop() {
  if (!stopping_) return;
  unsigned live = 0;
  for (const auto& w : workers_) live += w.process ? 1 : 0;
  if (!sentinels_sent_) {
    if (!jobs_.empty()) return;
    sentinels_sent_ = true;
    for (unsigned i = 0; i < live; ++i) queue_.TryPush(ipc::Job::Sentinel());
    queue_.WakeConsumers(static_cast<int>(live));
    spdlog::info("event=pool_stopping sentinels={}", live);
    grace_.expires_after(options_.stop_grace);
    grace_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      for (auto& w : workers_) {
        if (w.process) {
          spdlog::warn("event=worker_killed pid={} cause=stop_grace", w.process->pid());
          w.retiring = true;
          w.process->Kill();
        }
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
  s.target_workers = options_.workers;
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
