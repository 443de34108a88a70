#include "supervisor/admission.h"

#include <string>

#include "supervisor/duration_text.h"

namespace fibpool::supervisor {

std::optional<Refusal> CheckCost(ipc::Algorithm algorithm, std::chrono::nanoseconds estimate,
                                 std::chrono::milliseconds job_timeout) {
  if (estimate <= job_timeout) return std::nullopt;
  const auto cost = static_cast<std::uint64_t>(estimate.count());
  std::string detail = "estimated " + EstimateText(cost) + " of work, over the job_timeout of " +
                       LimitText(job_timeout);
  if (algorithm == ipc::Algorithm::kRecursive) detail += "; the fast algorithm answers it at once";
  return Refusal{AnswerError::kOutOfRange, std::move(detail)};
}

}  // namespace fibpool::supervisor
