// What runs the jobs behind the connections: the worker pool in fibpool, an
// in-process executor in the benchmark's baseline. Connections see only this.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "supervisor/protocol/answer_error.h"
#include "supervisor/sched/answer_payload.h"
#include "supervisor/sched/job_spec.h"

namespace fibpool::supervisor {

// A job's answer: its result, or why it has none. Whoever drops it (a
// connection that is gone, on its I/O thread) drops the payload, which
// unmaps a result buffer before giving its room back (answer_payload.h).
struct JobResult {
  std::optional<AnswerError> error;  // empty: success
  // Success: the digits, inline in `text` or in `payload.buffer`.
  // An error: its detail in `text`.
  AnswerPayload payload;

  static JobResult Error(AnswerError code, std::string detail) {
    return JobResult{code, AnswerPayload(std::move(detail))};
  }
};

// Called once per submitted job, on the event loop's thread, never from
// inside Submit().
using JobCallback = std::function<void(JobResult&&)>;

class JobExecutor {
 public:
  virtual ~JobExecutor() = default;
  // Takes the job `spec` for the client `flow` (its address: flow_key.h;
  // jobs of one flow share the workers fairly with other flows' jobs) and
  // returns its id for Abandon (0: nothing to abandon, as when the job was
  // refused at once). Every job is answered through `callback`, and only
  // there: with its result, with an error, or with the refusal that kept it
  // from running (busy, shutting_down, out_of_range, worker_crashed).
  virtual std::uint64_t Submit(const JobSpec& spec, const std::string& flow,
                               JobCallback callback) = 0;
  // Nobody waits for this job any more: drop it if it has not started. Its
  // callback is not called, unless its answer was already on the way (a
  // refusal, a result crossing threads): the caller ignores answers it no
  // longer waits for.
  virtual void Abandon(std::uint64_t job_id) = 0;
};

}  // namespace fibpool::supervisor
