#include "supervisor/sched/dispatch_policy.h"

namespace fibpool::supervisor {

Admission Admit(const LaneLoad& main, const LaneLoad& reserve) {
  Admission a;
  a.big_to_main = main.in_flight < main.ready;
  a.cheap_to_main = a.big_to_main || (main.big_in_flight == 0 &&
                                      main.cost_in_flight < main.ready * kQueuedCostPerWorkerNs);
  a.cheap_to_reserve = reserve.cost_in_flight < reserve.ready * kQueuedCostPerWorkerNs;
  return a;
}

void WakeCounter::Add(std::uint64_t cost_ns) {
  if (takes_ == 0 || take_cost_ + cost_ns > ipc::kBatchCostNs) {
    ++takes_;
    take_cost_ = 0;
  }
  take_cost_ += cost_ns;
}

}  // namespace fibpool::supervisor
