#include "supervisor/sched/fair_queue.h"

#include <algorithm>
#include <limits>

namespace fibpool::supervisor {

namespace {
std::uint64_t SaturatingAdd(std::uint64_t a, std::uint64_t b) {
  return a > std::numeric_limits<std::uint64_t>::max() - b
             ? std::numeric_limits<std::uint64_t>::max()
             : a + b;
}
}  // namespace

void FairQueue::Unlist(Flow& flow) {
  for (const JobSize size : {JobSize::kCheap, JobSize::kBig}) {
    if (flow.queued.Has(size)) ranks_[Index(size)].erase(Rank{flow.tag, flow.order, &flow});
  }
}

void FairQueue::List(Flow& flow) {
  for (const JobSize size : {JobSize::kCheap, JobSize::kBig}) {
    if (flow.queued.Has(size)) ranks_[Index(size)].insert(Rank{flow.tag, flow.order, &flow});
  }
}

void FairQueue::Push(const std::string& key, std::uint64_t job_id, std::uint64_t deadline,
                     JobSize size) {
  auto [it, inserted] = flows_.try_emplace(key);
  Flow& flow = it->second;
  if (inserted) {
    flow.key = &it->first;
    flow.tag = virtual_time_;
    flow.order = next_order_++;
  }
  Unlist(flow);
  // Idle until now: no credit for the time it was away.
  if (flow.queued.empty()) flow.tag = std::max(flow.tag, virtual_time_);
  flow.queued.Push(job_id, deadline, size);
  ++size_;
  List(flow);
}

std::optional<FairQueue::Head> FairQueue::Peek(bool cheap_allowed, bool big_allowed) const {
  const Rank* best = nullptr;
  for (const JobSize size : {JobSize::kCheap, JobSize::kBig}) {
    const bool allowed = size == JobSize::kCheap ? cheap_allowed : big_allowed;
    const std::set<Rank>& ranks = ranks_[Index(size)];
    if (allowed && !ranks.empty() && (best == nullptr || *ranks.begin() < *best)) {
      best = &*ranks.begin();
    }
  }
  if (best == nullptr) return std::nullopt;
  const std::optional<Backlog::Top> top = best->flow->queued.Peek(cheap_allowed, big_allowed);
  return Head{top->job_id, top->size, best->flow};
}

void FairQueue::Remove(const Head& head) {
  Flow& flow = *head.flow;
  Unlist(flow);
  flow.queued.Pop(head.size == JobSize::kCheap, head.size == JobSize::kBig);
  --size_;
}

void FairQueue::Take(const Head& head, std::uint64_t cost_ns) {
  Remove(head);
  Flow& flow = *head.flow;
  virtual_time_ = std::max(virtual_time_, flow.tag);
  flow.tag = SaturatingAdd(flow.tag, cost_ns);
  ++flow.running;
  List(flow);
}

void FairQueue::Discard(const Head& head) {
  Remove(head);
  List(*head.flow);
  ForgetIfIdle(*head.flow);
}

void FairQueue::Finished(const std::string& key) {
  const auto it = flows_.find(key);
  if (it == flows_.end() || it->second.running == 0) return;
  --it->second.running;
  ForgetIfIdle(it->second);
}

std::optional<std::uint64_t> FairQueue::RemoveLast(const std::string& key) {
  const auto it = flows_.find(key);
  if (it == flows_.end() || it->second.queued.empty()) return std::nullopt;
  Flow& flow = it->second;
  Unlist(flow);
  const std::optional<std::uint64_t> id = flow.queued.PopLast();
  --size_;
  List(flow);
  ForgetIfIdle(flow);
  return id;
}

std::size_t FairQueue::Waiting(const std::string& key) const {
  const auto it = flows_.find(key);
  return it == flows_.end() ? 0 : it->second.queued.size();
}

void FairQueue::ForgetIfIdle(Flow& flow) {
  if (flow.running > 0 || !flow.queued.empty()) return;
  flows_.erase(flows_.find(*flow.key));  // not listed: it has no waiting job
  if (flows_.empty()) virtual_time_ = 0;
}

WorkAhead FairQueue::CostAhead(const std::string& key, std::uint64_t deadline,
                               const std::function<std::uint64_t(std::uint64_t)>& cost_of) const {
  WorkAhead ahead;
  const auto add = [&](const Backlog::Waiting& job) {
    const std::uint64_t cost = cost_of(job.job_id);
    std::uint64_t& sum = job.size == JobSize::kCheap ? ahead.cheap_ns : ahead.big_ns;
    sum = SaturatingAdd(sum, cost);
    return cost;
  };
  // The new job's virtual start, and its flow's place among equal tags.
  std::uint64_t start = virtual_time_;
  std::uint64_t order = next_order_;
  const auto own = flows_.find(key);
  if (own != flows_.end()) {
    const Flow& flow = own->second;
    order = flow.order;
    // As Push() would set it: an idle flow earns no credit.
    start = flow.queued.empty() ? std::max(flow.tag, virtual_time_) : flow.tag;
    flow.queued.Walk([&](const Backlog::Waiting& job) {
      if (job.deadline > deadline) return false;  // a tie: the older job first
      start = SaturatingAdd(start, add(job));
      return true;
    });
  }
  for (const auto& entry : flows_) {
    if (entry.first == key) continue;
    const Flow& flow = entry.second;  // a reference the lambda below may capture
    std::uint64_t tag = flow.tag;
    flow.queued.Walk([&](const Backlog::Waiting& job) {
      if (tag > start || (tag == start && flow.order > order)) return false;
      tag = SaturatingAdd(tag, add(job));
      return true;
    });
  }
  return ahead;
}

std::vector<FlowDepth> FairQueue::TopFlows(std::size_t limit) const {
  std::vector<FlowDepth> depths;
  for (const auto& [key, flow] : flows_) {
    if (!flow.queued.empty()) depths.push_back(FlowDepth{key, flow.queued.size()});
  }
  const auto more = [](const FlowDepth& a, const FlowDepth& b) {
    return a.queued != b.queued ? a.queued > b.queued : a.flow < b.flow;
  };
  const std::size_t n = std::min(limit, depths.size());
  std::partial_sort(depths.begin(), depths.begin() + static_cast<std::ptrdiff_t>(n), depths.end(),
                    more);
  depths.resize(n);
  return depths;
}

}  // namespace fibpool::supervisor
