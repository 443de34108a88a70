// Whether the pool takes a job, decided before the job joins the backlog, so
// that a client hears at once what waiting would only tell it later. Pure.
//
// Cost: a job whose estimated cost alone (cost_model.h, scaled to this
// machine by cost_correction.h) exceeds job_timeout would hold a worker until
// the timeout killed it, and then fail; it is refused with ERR out_of_range
// naming the estimate and the limit.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "ipc/job.h"
#include "supervisor/job_executor.h"

namespace fibpool::supervisor {

// std::nullopt: the job may run within job_timeout.
std::optional<Refusal> CheckCost(ipc::Algorithm algorithm, std::chrono::nanoseconds estimate,
                                 std::chrono::milliseconds job_timeout);

}  // namespace fibpool::supervisor
