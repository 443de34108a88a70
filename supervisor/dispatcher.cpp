#include "supervisor/dispatcher.h"

#include <array>
#include <optional>

#include "supervisor/dispatch_policy.h"

namespace fibpool::supervisor {

void DispatchWaiting(Backlog& backlog, JobTable& jobs, Lane& main, Lane& reserve) {
  const std::array<Lane*, 2> lanes = {&main, &reserve};
  std::array<WakeCounter, 2> wakes{};
  for (;;) {
    const Admission admit = Admit(main.load(), reserve.load());
    std::size_t lane = 0;
    std::optional<std::uint64_t> id = backlog.Pop(admit.cheap_to_main, admit.big_to_main);
    if (!id && admit.cheap_to_reserve) {
      lane = 1;
      id = backlog.Pop(/*cheap_allowed=*/true, /*big_allowed=*/false);
    }
    if (!id) break;
    PendingJob* job = jobs.Find(*id);
    if (job == nullptr) continue;  // abandoned while waiting
    if (!lanes[lane]->Push(
            ipc::Job{*id, ipc::JobKind::kCompute, job->algorithm, job->n, job->cost_ns},
            job->big())) {
      backlog.Push(*id, job->deadline, job->size);
      break;
    }
    job->state = PendingJob::State::kQueued;
    job->lane = lane;
    wakes[lane].Add(job->cost_ns);
  }
  for (std::size_t lane = 0; lane < lanes.size(); ++lane) {
    if (wakes[lane].takes() > 0) lanes[lane]->queue().WakeConsumers(wakes[lane].takes());
  }
}

}  // namespace fibpool::supervisor
