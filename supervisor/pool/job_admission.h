// Whether the pool takes a new job: the one place that refuses jobs. It
// checks, in this order: a drain under way (ERR shutting_down), an estimated
// cost over job_timeout (ERR out_of_range: sched/admission.h), an input in
// quarantine (ERR worker_crashed: its job killed two workers lately,
// sched/quarantine.h), the backlog's room and each client's share of it (ERR
// busy: sched/backlog_admission.h), and, with max_wait on, the estimated wait
// (ERR busy retry_after=S: work_before.h). A full backlog may instead take
// the job and push out the last waiting job of the client holding the most.
//
// It owns what those checks learn from the jobs that ran: the quarantine of
// inputs that killed workers, and the cost correction (cost_correction.h)
// that scales the cost model's estimates to this machine.
//
// Reads the settings live (a reload applies to the next job); `settings`
// outlives it. Pure decisions over the pool's state, which it only reads:
// no I/O, no clock of its own (the caller passes the time). On the pool's
// thread. Never throws.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "supervisor/config/config.h"
#include "supervisor/pool/work_before.h"
#include "supervisor/protocol/busy_reason.h"
#include "supervisor/protocol/refusal.h"
#include "supervisor/sched/cost_correction.h"
#include "supervisor/sched/job_spec.h"
#include "supervisor/sched/quarantine.h"

namespace fibpool::supervisor {

struct AdmissionDecision {
  std::optional<Refusal> refusal;  // set: the job is refused with this ERR line
  std::optional<BusyReason> busy;  // an ERR busy refusal's reason, to count
  // Taken: its estimated cost on this machine, and, when the backlog is
  // full, the client whose last waiting job leaves to make room.
  std::uint64_t cost_ns = 0;
  std::optional<std::string> push_out;
};

class JobAdmission {
 public:
  explicit JobAdmission(const Config& settings);

  // For a job `spec` of client `flow` at `now_ns`; `draining`: the pool is
  // stopping; `waiting_for_shm`: jobs out of the backlog still waiting for
  // room for their results (they count against max_backlog).
  AdmissionDecision Decide(const JobSpec& spec, const std::string& flow, bool draining,
                           const PoolWork& pool, std::size_t waiting_for_shm,
                           std::uint64_t now_ns);

  // A job that ran: `cpu_ns` teaches the cost correction.
  void Learn(const JobSpec& spec, std::uint64_t cpu_ns);
  // A job that killed two workers: refused for quarantine_period from `now_ns`.
  void Quarantine(const JobSpec& spec, std::uint64_t now_ns);
  // Applies to the inputs held already.
  void SetQuarantinePeriod(std::chrono::milliseconds period);

  // For the pool's snapshot.
  std::size_t quarantined(std::uint64_t now_ns) const { return quarantine_.Held(now_ns); }
  double cost_factor(ipc::Algorithm algorithm) const { return correction_.factor(algorithm); }

 private:
  const Config& settings_;
  supervisor::Quarantine quarantine_;
  CostCorrection correction_;
};

}  // namespace fibpool::supervisor
