#include "supervisor/backlog.h"

namespace fibpool::supervisor {

void Backlog::Push(std::uint64_t job_id, std::uint64_t deadline, JobSize size) {
  heaps_[Index(size)].push(Entry{deadline, next_seq_++, job_id});
}

std::optional<std::uint64_t> Backlog::Pop(bool cheap_allowed, bool big_allowed) {
  Heap* from = nullptr;
  if (cheap_allowed && !heaps_[0].empty()) from = &heaps_[0];
  if (big_allowed && !heaps_[1].empty() && (from == nullptr || heaps_[0].top() > heaps_[1].top())) {
    from = &heaps_[1];
  }
  if (from == nullptr) return std::nullopt;
  const std::uint64_t id = from->top().job_id;
  from->pop();
  return id;
}

}  // namespace fibpool::supervisor
