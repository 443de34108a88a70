#include "supervisor/sched/job_spec.h"

#include "supervisor/sched/cost_model.h"

namespace fibpool::supervisor {

JobSpec MakeJobSpec(ipc::Algorithm algorithm, std::uint64_t n) {
  return JobSpec{algorithm, n, EstimatedCostNanos(algorithm, n), EstimatedAnswerBytes(algorithm, n)};
}

}  // namespace fibpool::supervisor
