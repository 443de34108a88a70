#include "supervisor/dispatcher.h"

#include <array>
#include <optional>

#include "supervisor/dispatch_policy.h"

namespace fibpool::supervisor {

void DispatchWaiting(FairQueue& backlog, JobTable& jobs, Lane& main, Lane& reserve) {
  const std::array<Lane*, 2> lanes = {&main, &reserve};
  std::array<WakeCounter, 2> wakes{};
  for (;;) {
    const Admission admit = Admit(main.load(), reserve.load());
    std::size_t lane = 0;
    std::optional<FairQueue::Head> head = backlog.Peek(admit.cheap_to_main, admit.big_to_main);
    if (!head && admit.cheap_to_reserve) {
      lane = 1;
      head = backlog.Peek(/*cheap_allowed=*/true, /*big_allowed=*/false);
    }
    if (!head) break;
    const std::uint64_t id = head->job_id;
    PendingJob* job = jobs.Find(id);
    if (job == nullptr) {  // abandoned while waiting
      backlog.Discard(*head);
      continue;
    }
    if (!lanes[lane]->Push(
            ipc::Job{id, ipc::JobKind::kCompute, job->algorithm, job->n, job->cost_ns},
            job->big())) {
      break;  // it stays first in the backlog
    }
    backlog.Take(*head, job->cost_ns);
    job->state = PendingJob::State::kQueued;
    job->lane = lane;
    wakes[lane].Add(job->cost_ns);
  }
  for (std::size_t lane = 0; lane < lanes.size(); ++lane) {
    if (wakes[lane].takes() > 0) lanes[lane]->queue().WakeConsumers(wakes[lane].takes());
  }
}

}  // namespace fibpool::supervisor
