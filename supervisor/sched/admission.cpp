#include "supervisor/sched/admission.h"

#include <algorithm>
#include <string>

#include "supervisor/protocol/duration_text.h"

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

std::chrono::nanoseconds EstimatedWait(const WorkBefore& work) {
  // Doubles: sums of up to a year's estimates over a full backlog overflow 64 bits.
  const double b =
      static_cast<double>(work.main_lane_ns) + static_cast<double>(work.waiting.big_ns);
  const double c =
      static_cast<double>(work.reserve_lane_ns) + static_cast<double>(work.waiting.cheap_ns);
  const double m = std::max(1u, work.main_workers);
  const double r = work.reserve_workers;
  const double together = (b + c) / (m + r);
  double wait = 0;
  if (work.size == JobSize::kBig) {
    wait = std::max(b / m, together);
  } else {
    wait = r > 0 ? std::min(c / r, together) : together;
  }
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::min(wait, 9e18)));
}

std::optional<Refusal> CheckWait(const WorkBefore& work, std::chrono::milliseconds max_wait) {
  if (max_wait.count() == 0) return std::nullopt;
  const std::chrono::nanoseconds wait = EstimatedWait(work);
  if (wait <= max_wait) return std::nullopt;
  const auto seconds =
      std::max<std::int64_t>(1, std::chrono::ceil<std::chrono::seconds>(wait).count());
  return Refusal{AnswerError::kBusy, "retry_after=" + std::to_string(seconds)};
}

}  // namespace fibpool::supervisor
