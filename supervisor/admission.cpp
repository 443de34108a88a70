#include "supervisor/admission.h"

#include <string>

#include "supervisor/cost_model.h"
#include "supervisor/duration_text.h"

namespace fibpool::supervisor {

std::optional<Refusal> CheckCost(ipc::Algorithm algorithm, std::uint64_t n,
                                 std::chrono::milliseconds job_timeout) {
  const std::uint64_t cost = EstimatedCostNanos(algorithm, n);
  const auto limit = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(job_timeout).count());
  if (cost <= limit) return std::nullopt;
  std::string detail = "estimated " + EstimateText(cost) + " of work, over the job_timeout of " +
                       LimitText(job_timeout);
  if (algorithm == ipc::Algorithm::kRecursive) detail += "; the fast algorithm answers it at once";
  return Refusal{AnswerError::kOutOfRange, std::move(detail)};
}

}  // namespace fibpool::supervisor
