#include "supervisor/pool/job_admission.h"

#include "supervisor/sched/admission.h"
#include "supervisor/sched/backlog_admission.h"
#include "supervisor/sched/cost_model.h"

namespace fibpool::supervisor {

JobAdmission::JobAdmission(const Config& settings)
    : settings_(settings), quarantine_(settings.quarantine_period) {}

AdmissionDecision JobAdmission::Decide(const JobSpec& spec, const std::string& flow,
                                       bool draining, const PoolWork& pool,
                                       std::size_t waiting_for_shm, std::uint64_t now_ns) {
  AdmissionDecision d;
  if (draining) {
    d.refusal = Refusal{AnswerError::kShuttingDown, "the server is draining"};
    return d;
  }
  d.cost_ns = correction_.Apply(spec.algorithm, spec.cost_ns);
  d.refusal =
      CheckCost(spec.algorithm, std::chrono::nanoseconds(d.cost_ns), settings_.job_timeout);
  if (d.refusal) return d;
  std::chrono::nanoseconds left{};
  if (quarantine_.Holds(spec.algorithm, spec.n, now_ns, &left)) {
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(left).count();
    d.refusal = Refusal{AnswerError::kWorkerCrashed,
                        "this request killed two workers; refused for " +
                            std::to_string(seconds) + " s more without starting a worker"};
    return d;
  }
  const BacklogRoom room = RoomFor(pool.backlog, flow, waiting_for_shm, settings_.max_backlog);
  if (room.verdict.action == BacklogVerdict::Action::kRefuse) {
    d.busy = room.verdict.reason;
    d.refusal = Refusal{AnswerError::kBusy, BusyDetail(room.verdict.reason)};
    return d;
  }
  if (settings_.max_wait.count() > 0) {  // off: no walk of the backlog
    d.refusal = CheckWait(WorkBeforeJob(pool, flow, now_ns + d.cost_ns, SizeOf(d.cost_ns), now_ns),
                          settings_.max_wait);
    if (d.refusal) {
      d.busy = BusyReason::kMaxWait;
      return d;
    }
  }
  if (room.verdict.action == BacklogVerdict::Action::kEvictLargest) d.push_out = room.largest;
  return d;
}

void JobAdmission::Learn(const JobSpec& spec, std::uint64_t cpu_ns) {
  correction_.Learn(spec.algorithm, spec.cost_ns, cpu_ns);
}

void JobAdmission::Quarantine(const JobSpec& spec, std::uint64_t now_ns) {
  quarantine_.Add(spec.algorithm, spec.n, now_ns);
}

void JobAdmission::SetQuarantinePeriod(std::chrono::milliseconds period) {
  quarantine_.SetPeriod(period);
}

}  // namespace fibpool::supervisor
