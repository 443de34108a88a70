// What each job of a run of consecutive jobs cost, from one measurement of
// the whole run (run_meter.h): the worker reads its clock around runs of
// cheap jobs rather than around each job, and around every job estimated at
// ipc::kBatchCostNs or more on its own (MeasuredAlone). Pure; never throws.
#pragma once

#include <cstdint>
#include <span>

#include "ipc/job.h"
#include "worker/job_runner.h"

namespace fibpool::worker {

// Whether a job gets a measurement of its own.
bool MeasuredAlone(const ipc::Job& job);

// Shares `cpu_ns` among the jobs' results in proportion to their estimated
// costs (evenly when every estimate is 0; the shares sum to `cpu_ns`), and
// gives each the worker's peak resident size. `jobs` and `outcomes` are the
// same jobs, in the same order.
void ShareCost(std::span<const ipc::Job> jobs, std::uint64_t cpu_ns, std::uint64_t peak_rss_bytes,
               std::span<JobOutcome> outcomes);

}  // namespace fibpool::worker
