#include "supervisor/pool/job_table.h"

#include <algorithm>

#include "ipc/defaults.h"
#include "supervisor/protocol/duration_text.h"
#include "supervisor/sched/result_budget.h"

namespace fibpool::supervisor {

std::string JobLogFields(const PendingJob* job) {
  if (job == nullptr) return "client=none algorithm=none n=none";
  return "client=" + job->flow + " algorithm=" + std::string(ipc::AlgorithmName(job->spec.algorithm)) + " n=" + std::to_string(job->spec.n);
}

LostJob OnWorkerLost(PendingJob& job, bool was_running, KillCause killed) {
  if (!was_running) return LostJob::kRequeue;
  if (!job.callback) return LostJob::kDrop;
  if (killed == KillCause::kTimeout) return LostJob::kTimeout;
  return ++job.attempts >= 2 ? LostJob::kCrashedTwice : LostJob::kRetry;
}

Overrun CheckRunning(const PendingJob& job, std::chrono::nanoseconds ran,
                     std::chrono::milliseconds job_timeout) {
  if (ran > job_timeout) return Overrun::kTimeout;
  if (!job.callback && ran > kCancelAfter) return Overrun::kCancel;
  return Overrun::kNone;
}

JobResult LostJobAnswer(LostJob action, std::chrono::milliseconds job_timeout) {
  switch (action) {
    case LostJob::kTimeout:
      return JobResult::Error(
          AnswerError::kTimeout,
          "job ran past " + LimitText(job_timeout) + "; its worker was killed and replaced");
    case LostJob::kCrashedTwice:
      return JobResult::Error(AnswerError::kWorkerCrashed,
                              "the worker running this job died twice");
    default:
      return JobResult{};
  }
}

std::uint64_t JobTable::Add(const JobSpec& spec, std::uint64_t cost, std::string flow,
                            JobCallback callback, std::uint64_t now_ns) {
  const std::uint64_t id = next_id_++;
  const std::uint64_t buffer =
      ResultBudget::BufferBytes(spec.answer_bytes, ipc::kInlineResultLimit);
  jobs_.emplace(id, PendingJob{spec, std::move(flow), std::move(callback), now_ns, now_ns + cost,
                               cost, SizeOf(cost), PendingJob::State::kBacklog, 0, 0, buffer});
  pending_cost_ns_ += std::min(cost, kPendingCostCapNs);
  return id;
}

void JobTable::Erase(std::uint64_t id) {
  const auto it = jobs_.find(id);
  if (it == jobs_.end()) return;
  pending_cost_ns_ -= std::min(it->second.cost_ns, kPendingCostCapNs);
  jobs_.erase(it);
}

PendingJob* JobTable::Find(std::uint64_t id) {
  const auto it = jobs_.find(id);
  return it == jobs_.end() ? nullptr : &it->second;
}

const PendingJob* JobTable::Find(std::uint64_t id) const {
  const auto it = jobs_.find(id);
  return it == jobs_.end() ? nullptr : &it->second;
}

}  // namespace fibpool::supervisor
