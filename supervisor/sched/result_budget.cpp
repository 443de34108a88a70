#include "supervisor/sched/result_budget.h"

namespace fibpool::supervisor {

namespace {
constexpr std::uint64_t kPageBytes = 4096;
}  // namespace

std::uint64_t ResultBudget::BufferBytes(std::uint64_t answer_bytes, std::uint64_t inline_limit) {
  if (answer_bytes <= inline_limit) return 0;
  return (answer_bytes + kPageBytes - 1) / kPageBytes * kPageBytes;
}

std::optional<ResultRoute> ResultBudget::Route(std::uint64_t buffer_bytes,
                                               std::uint64_t shm_free) const {
  if (in_flight_ + buffer_bytes + kShmHeadroomBytes <= shm_free) return ResultRoute::kBuffer;
  // Nothing of ours to wait for: waiting would never end.
  if (in_flight_ == 0 && held_ == 0 && piped_ == 0) return ResultRoute::kPipe;
  return std::nullopt;
}

void ResultBudget::Dispatched(ResultRoute route, std::uint64_t bytes) {
  if (route == ResultRoute::kBuffer) in_flight_ += bytes;
  if (route == ResultRoute::kPipe) {
    piped_ += bytes;
    ++pipes_;
  }
}

void ResultBudget::Arrived(ResultRoute route, std::uint64_t bytes) {
  if (route != ResultRoute::kBuffer) return;
  in_flight_ -= bytes;
  held_ += bytes;
}

void ResultBudget::Released(ResultRoute route, std::uint64_t bytes, bool arrived) {
  if (route == ResultRoute::kPipe) piped_ -= bytes;
  if (route != ResultRoute::kBuffer) return;
  (arrived ? held_ : in_flight_) -= bytes;
}

std::optional<std::uint64_t> ResultBudget::FirstWaiting() const {
  if (waiting_.empty()) return std::nullopt;
  return waiting_.front();
}

}  // namespace fibpool::supervisor
