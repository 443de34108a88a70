#include "supervisor/backlog.h"

namespace fibpool::supervisor {

void Backlog::Push(std::uint64_t job_id, std::uint64_t deadline, JobSize size) {
  heaps_[Index(size)].push(Entry{deadline, next_seq_++, job_id});
}

std::optional<Backlog::Top> Backlog::Peek(bool cheap_allowed, bool big_allowed) const {
  const bool cheap = cheap_allowed && !heaps_[0].empty();
  const bool big = big_allowed && !heaps_[1].empty() && (!cheap || heaps_[0].top() > heaps_[1].top());
  if (big) return Top{heaps_[1].top().job_id, JobSize::kBig};
  if (cheap) return Top{heaps_[0].top().job_id, JobSize::kCheap};
  return std::nullopt;
}

std::optional<std::uint64_t> Backlog::Pop(bool cheap_allowed, bool big_allowed) {
  const std::optional<Top> top = Peek(cheap_allowed, big_allowed);
  if (top) heaps_[Index(top->size)].pop();
  if (!top) return std::nullopt;
  return top->job_id;
}

}  // namespace fibpool::supervisor
