#include "supervisor/backlog.h"

namespace fibpool::supervisor {

void Backlog::Push(std::uint64_t job_id, std::uint64_t deadline) {
  heap_.push(Entry{deadline, next_seq_++, job_id});
}

std::optional<std::uint64_t> Backlog::Pop() {
  if (heap_.empty()) return std::nullopt;
  const std::uint64_t id = heap_.top().job_id;
  heap_.pop();
  return id;
}

}  // namespace fibpool::supervisor
