// What runs the jobs behind the connections: the worker pool in fibpool, an
// in-process executor in the benchmark's baseline. Connections see only this.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "ipc/job.h"
#include "os/shared_segment.h"
#include "supervisor/protocol/answer_error.h"
#include "supervisor/protocol/refusal.h"
#include "supervisor/sched/result_lease.h"

namespace fibpool::supervisor {

// A job's answer. Whoever drops it (a connection that is gone, on its I/O
// thread) unmaps `buffer` before `lease` gives its /dev/shm room back to
// the pool (members are destroyed in reverse order): room released while
// the digits are still mapped could be granted to another result that then
// does not fit. AnswerQueue::Answer keeps the same order.
struct JobResult {
  std::optional<AnswerError> error;  // empty: success
  std::string text;                  // the digits (inline) or the error detail
  ResultLease lease{};  // a large result's share of the ResultBudget, until it is written
  os::SharedSegment buffer{};  // the digits, when they came in a result buffer
  std::uint64_t buffer_length = 0;
};

// Called once per submitted job, on the event loop's thread, never from
// inside Submit().
using JobCallback = std::function<void(JobResult&&)>;

class JobExecutor {
 public:
  virtual ~JobExecutor() = default;
  // Queues a job for the client `flow` (its address: flow_key.h; jobs of one
  // flow share the workers fairly with other flows' jobs). Returns its id, or
  // std::nullopt with *refusal set (busy, shutting_down, out_of_range) when
  // it does not take it.
  virtual std::optional<std::uint64_t> Submit(ipc::Algorithm algorithm, std::uint64_t n,
                                              const std::string& flow, JobCallback callback,
                                              Refusal* refusal) = 0;
  // Nobody waits for this job any more: drop it if it has not started; its
  // callback will not be called.
  virtual void Abandon(std::uint64_t job_id) = 0;
};

}  // namespace fibpool::supervisor
