// What a new job would wait for (admission.h's WorkBefore, the input of the
// max_wait check), read from the pool's state: the backlog's jobs that start
// before it and each lane's work pushed and not finished.
//
// Reads only; runs on the pool's thread, which owns everything it reads.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "supervisor/pool/job_table.h"
#include "supervisor/pool/lane.h"
#include "supervisor/pool/worker_slots.h"
#include "supervisor/sched/admission.h"
#include "supervisor/sched/fair_queue.h"

namespace fibpool::supervisor {

// The pool's state as WorkBeforeJob reads it; lanes[0] is the main lane,
// lanes[1] the reserve lane.
struct PoolWork {
  const FairQueue& backlog;
  const JobTable& jobs;
  const std::array<Lane, 2>& lanes;
  const WorkerSlots& workers;
};

// For a new job of `flow` with `deadline` and `size`, at `now_ns`.
WorkBefore WorkBeforeJob(const PoolWork& pool, const std::string& flow, std::uint64_t deadline,
                         JobSize size, std::uint64_t now_ns);

// Estimated work pushed to `lane` and not finished: its jobs' estimates less
// what the running ones have run (each at most its estimate).
std::uint64_t UnfinishedWork(const PoolWork& pool, std::size_t lane, std::uint64_t now_ns);

}  // namespace fibpool::supervisor
