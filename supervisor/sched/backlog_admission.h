// Who gets a place in the backlog when it is full: a pure decision, so that
// one client address cannot keep every other one out (the queue length
// limits of Kubernetes' API Priority and Fairness, applied to the flows of
// fair_queue.h).
//
// Below max_backlog every job gets in: one client alone may use the whole
// backlog. At max_backlog, a job of a flow (a client address) that, once in,
// would still hold no more waiting jobs than the flow holding the most
// (own + 1 < largest) takes the place of that flow's last job (the one its
// flow would run last), which is answered `ERR busy your address has too
// many waiting jobs`. Otherwise the new job is refused: with that same line
// when its own flow is the one holding the most waiting jobs, else
// `ERR busy the backlog is full` (every flow holds about as many as it).
// The condition own + 1 < largest keeps two flows from pushing each other's
// jobs out in turn.
//
// Pure: no I/O, no state; thread-safe (RoomFor only reads the queue).
#pragma once

#include <cstddef>
#include <string>

#include "supervisor/protocol/busy_reason.h"
#include "supervisor/sched/fair_queue.h"

namespace fibpool::supervisor {

struct BacklogLoad {
  std::size_t waiting = 0;      // jobs waiting for a worker (or for /dev/shm room), all flows
  std::size_t max_backlog = 1;  // the setting
  std::size_t own = 0;          // waiting jobs of the new job's flow
  std::size_t largest = 0;      // waiting jobs of the flow holding the most (maybe its own)
  bool largest_is_own = false;  // the new job's flow is (one of) the flows holding the most
};

struct BacklogVerdict {
  enum class Action {
    kAdmit,         // the job joins the backlog
    kEvictLargest,  // the largest flow's last job leaves (flow_share), the new job joins
    kRefuse,        // the new job is refused with `reason`
  };
  Action action = Action::kAdmit;
  BusyReason reason = BusyReason::kBacklogFull;  // kRefuse: kBacklogFull or kFlowShare

  bool operator==(const BacklogVerdict&) const = default;
};

BacklogVerdict DecideBacklog(const BacklogLoad& load);

// DecideBacklog for a job of `flow` joining `queue`, with `also_waiting`
// jobs waiting outside it (for /dev/shm room: never pushed out); `largest`
// names the flow to push a job out of for kEvictLargest.
struct BacklogRoom {
  BacklogVerdict verdict;
  std::string largest;
};
BacklogRoom RoomFor(const FairQueue& queue, const std::string& flow, std::size_t also_waiting,
                    std::size_t max_backlog);

}  // namespace fibpool::supervisor
