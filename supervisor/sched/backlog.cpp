#include "supervisor/sched/backlog.h"

#include <iterator>

namespace fibpool::supervisor {

void Backlog::Push(std::uint64_t job_id, std::uint64_t deadline, JobSize size) {
  queued_[Index(size)].insert(Entry{deadline, next_seq_++, job_id});
}

std::optional<Backlog::Top> Backlog::Peek(bool cheap_allowed, bool big_allowed) const {
  const auto& cheap = queued_[0];
  const auto& big = queued_[1];
  const bool has_cheap = cheap_allowed && !cheap.empty();
  if (big_allowed && !big.empty() && (!has_cheap || *big.begin() < *cheap.begin())) {
    return Top{big.begin()->job_id, JobSize::kBig};
  }
  if (has_cheap) return Top{cheap.begin()->job_id, JobSize::kCheap};
  return std::nullopt;
}

std::optional<std::uint64_t> Backlog::Pop(bool cheap_allowed, bool big_allowed) {
  const std::optional<Top> top = Peek(cheap_allowed, big_allowed);
  if (!top) return std::nullopt;
  auto& queued = queued_[Index(top->size)];
  queued.erase(queued.begin());
  return top->job_id;
}

std::optional<std::uint64_t> Backlog::PopLast() {
  auto& cheap = queued_[0];
  auto& big = queued_[1];
  if (cheap.empty() && big.empty()) return std::nullopt;
  auto& queued = cheap.empty() || (!big.empty() && *cheap.rbegin() < *big.rbegin()) ? big : cheap;
  const auto last = std::prev(queued.end());
  const std::uint64_t id = last->job_id;
  queued.erase(last);
  return id;
}

}  // namespace fibpool::supervisor
