#include "supervisor/sched/backlog_admission.h"

namespace fibpool::supervisor {

BacklogVerdict DecideBacklog(const BacklogLoad& load) {
  using Action = BacklogVerdict::Action;
  if (load.waiting < load.max_backlog) return {Action::kAdmit, BusyReason::kBacklogFull};
  if (!load.largest_is_own && load.own + 1 < load.largest) {
    return {Action::kEvictLargest, BusyReason::kFlowShare};
  }
  const bool heaviest = load.own > 0 && (load.largest_is_own || load.own >= load.largest);
  return {Action::kRefuse, heaviest ? BusyReason::kFlowShare : BusyReason::kBacklogFull};
}

BacklogRoom RoomFor(const FairQueue& queue, const std::string& flow, std::size_t also_waiting,
                    std::size_t max_backlog) {
  BacklogLoad load{queue.size() + also_waiting, max_backlog, 0, 0, false};
  if (load.waiting < max_backlog) return {DecideBacklog(load), {}};
  // Full: worth the walk over the flows.
  const std::vector<FlowDepth> top = queue.TopFlows(1);
  load.own = queue.Waiting(flow);
  if (!top.empty()) {
    load.largest = top.front().queued;
    load.largest_is_own = top.front().flow == flow || load.own == load.largest;
  }
  return {DecideBacklog(load), top.empty() ? std::string() : top.front().flow};
}

}  // namespace fibpool::supervisor
