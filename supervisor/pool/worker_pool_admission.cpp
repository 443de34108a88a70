// WorkerPool's admission: Submit() takes a job or refuses it with one ERR
// line, checking in this order: a drain under way, an estimated cost over
// job_timeout (sched/admission.h), a quarantined input, the backlog's room
// and each client's share of it (sched/backlog_admission.h), and with
// max_wait on, the estimated wait (work_before.h). A full backlog may instead
// push out the last job of the client holding the most. Part of
// worker_pool.h's WorkerPool, on its thread.
#include "supervisor/pool/worker_pool.h"

#include <boost/asio/post.hpp>

#include "os/monotonic_clock.h"
#include "supervisor/pool/work_before.h"
#include "supervisor/sched/admission.h"
#include "supervisor/sched/backlog_admission.h"
#include "supervisor/sched/cost_model.h"

namespace fibpool::supervisor {

namespace asio = boost::asio;

std::optional<std::uint64_t> WorkerPool::Submit(ipc::Algorithm algorithm, std::uint64_t n,
                                                const std::string& flow, JobCallback callback,
                                                Refusal* refusal) {
  if (stopping_) {
    *refusal = Refusal{AnswerError::kShuttingDown, "the server is draining"};
    return std::nullopt;
  }
  const std::uint64_t cost = cost_correction_.Apply(algorithm, EstimatedCostNanos(algorithm, n));
  if (auto too_costly =
          CheckCost(algorithm, std::chrono::nanoseconds(cost), options_.settings.job_timeout)) {
    *refusal = std::move(*too_costly);
    return std::nullopt;
  }
  std::chrono::nanoseconds left{};
  if (quarantine_.Holds(algorithm, n, os::MonotonicNanos(), &left)) {
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(left).count();
    *refusal = Refusal{AnswerError::kWorkerCrashed,
                       "this request killed two workers; refused for " + std::to_string(seconds) +
                           " s more without starting a worker"};
    return std::nullopt;
  }
  // Jobs waiting for shared memory still wait for a worker.
  const BacklogRoom room =
      RoomFor(backlog_, flow, routing_.results->budget.waiting(), options_.settings.max_backlog);
  BusyReason busy = room.verdict.reason;
  std::optional<Refusal> refused;
  if (room.verdict.action == BacklogVerdict::Action::kRefuse) {
    refused = Refusal{AnswerError::kBusy, BusyDetail(busy)};
  }
  const std::uint64_t now = os::MonotonicNanos();
  if (!refused && options_.settings.max_wait.count() > 0) {  // off: no walk of the backlog
    const PoolWork pool{backlog_, jobs_, lanes_, workers_};
    refused = CheckWait(WorkBeforeJob(pool, flow, now + cost, SizeOf(cost), now),
                        options_.settings.max_wait);
    busy = BusyReason::kMaxWait;
  }
  if (refused) {
    metrics_->CountBusy(busy);
    *refusal = std::move(*refused);
    return std::nullopt;
  }
  if (room.verdict.action == BacklogVerdict::Action::kEvictLargest) PushOutLast(room.largest);
  const std::uint64_t id = jobs_.Add(algorithm, n, cost, flow, std::move(callback), now);
  const PendingJob& job = *jobs_.Find(id);
  backlog_.Push(job.flow, id, job.deadline, job.size);
  PumpSoon();
  return id;
}

void WorkerPool::PushOutLast(const std::string& flow) {
  const std::optional<std::uint64_t> id = backlog_.RemoveLast(flow);
  if (!id || jobs_.Find(*id) == nullptr) return;  // abandoned: nobody to answer
  metrics_->CountBusy(BusyReason::kFlowShare);
  asio::post(io_, [this, id = *id] {  // callbacks never run inside Submit()
    const PendingJob* job = jobs_.Find(id);
    if (job == nullptr || job->state != PendingJob::State::kBacklog) return;
    Finish(id, JobResult{.error = AnswerError::kBusy, .text = BusyDetail(BusyReason::kFlowShare)});
  });
}

}  // namespace fibpool::supervisor
