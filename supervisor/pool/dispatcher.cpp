#include "supervisor/pool/dispatcher.h"

#include <array>
#include <optional>

#include "supervisor/sched/dispatch_policy.h"

namespace fibpool::supervisor {

namespace {

constexpr std::size_t kMain = 0;
constexpr std::size_t kReserve = 1;

// The lane that takes a job of `size` now, if one does.
std::optional<std::size_t> LaneFor(JobSize size, const Admission& admit) {
  if (size == JobSize::kBig) return admit.big_to_main ? std::optional(kMain) : std::nullopt;
  if (admit.cheap_to_main) return kMain;
  if (admit.cheap_to_reserve) return kReserve;
  return std::nullopt;
}

class Dispatch {
 public:
  Dispatch(JobTable& jobs, Lane& main, Lane& reserve, const ResultRouting& routing)
      : jobs_(jobs), lanes_{&main, &reserve}, routing_(routing) {}

  // The route of `job`'s result now; std::nullopt: it waits for shared memory.
  std::optional<ResultRoute> RouteOf(const PendingJob& job) {
    if (job.buffer_bytes == 0) return ResultRoute::kInline;
    if (!shm_free_) shm_free_ = routing_.shm_free();
    return budget().Route(job.buffer_bytes, *shm_free_);
  }

  // Pushes `job` to `lane`; false when the lane's queue is full.
  bool Push(std::uint64_t id, PendingJob& job, std::size_t lane, ResultRoute route) {
    ipc::Job pushed{id, ipc::JobKind::kCompute, job.spec.algorithm, job.spec.n, job.cost_ns};
    pushed.may_use_buffer = route == ResultRoute::kBuffer;
    if (!lanes_[lane]->Push(pushed, job.big())) return false;
    job.state = PendingJob::State::kQueued;
    job.lane = lane;
    if (route != ResultRoute::kInline) {
      job.lease = ResultLease(routing_.results, route, job.buffer_bytes);
    }
    wakes_[lane].Add(job.cost_ns);
    return true;
  }

  // The job first in line for shared memory goes if its lane and the budget
  // take it now; true when it went (or was abandoned and dropped).
  bool TryFirstWaiting(const Admission& admit) {
    const std::optional<std::uint64_t> first = budget().FirstWaiting();
    if (!first) return false;
    PendingJob* job = jobs_.Find(*first);
    if (job == nullptr) {  // abandoned while waiting
      budget().PopWaiting();
      return true;
    }
    const std::optional<std::size_t> lane = LaneFor(job->size, admit);
    if (!lane) return false;
    const std::optional<ResultRoute> route = RouteOf(*job);
    if (!route || !Push(*first, *job, *lane, *route)) return false;
    budget().PopWaiting();
    return true;
  }

  void Wake() {
    for (std::size_t lane = 0; lane < lanes_.size(); ++lane) {
      if (wakes_[lane].takes() > 0) lanes_[lane]->queue().WakeConsumers(wakes_[lane].takes());
    }
  }

  ResultBudget& budget() { return routing_.results->budget; }

 private:
  JobTable& jobs_;
  std::array<Lane*, 2> lanes_;
  const ResultRouting& routing_;
  std::array<WakeCounter, 2> wakes_{};
  std::optional<std::uint64_t> shm_free_;  // read once, when first needed
};

}  // namespace

void DispatchWaiting(FairQueue& backlog, JobTable& jobs, Lane& main, Lane& reserve,
                     const ResultRouting& routing) {
  Dispatch dispatch(jobs, main, reserve, routing);
  for (;;) {
    const Admission admit = Admit(main.load(), reserve.load());
    if (dispatch.TryFirstWaiting(admit)) continue;
    std::size_t lane = kMain;
    std::optional<FairQueue::Head> head = backlog.Peek(admit.cheap_to_main, admit.big_to_main);
    if (!head && admit.cheap_to_reserve) {
      lane = kReserve;
      head = backlog.Peek(/*cheap_allowed=*/true, /*big_allowed=*/false);
    }
    if (!head) break;
    const std::uint64_t id = head->job_id;
    PendingJob* job = jobs.Find(id);
    if (job == nullptr) {  // abandoned while waiting
      backlog.Discard(*head);
      continue;
    }
    // Behind a job waiting for shared memory, every job that needs some waits too.
    const std::optional<ResultRoute> route =
        job->buffer_bytes > 0 && dispatch.budget().waiting() > 0 ? std::nullopt
                                                                 : dispatch.RouteOf(*job);
    if (!route) {
      backlog.Take(*head, job->cost_ns);
      job->state = PendingJob::State::kWaitingForShm;
      dispatch.budget().Wait(id);
      continue;
    }
    if (!dispatch.Push(id, *job, lane, *route)) break;  // it stays first in the backlog
    backlog.Take(*head, job->cost_ns);
  }
  dispatch.Wake();
}

}  // namespace fibpool::supervisor
