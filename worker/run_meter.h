// What one run of jobs cost the worker (job_cost_share.h: a job measured
// alone, or consecutive cheap jobs), read with the cheapest clock that is
// good enough for it:
//   - a run that starts with a job measured alone (estimated at
//     ipc::kBatchCostNs or more): getrusage, user and system CPU time and a
//     fresh peak resident size; its cost (about 0.7 us a reading here) is
//     at most a percent or two of the job;
//   - a run of cheap jobs: the monotonic clock, read in user space (vDSO,
//     about 25 ns), so the figure is the run's elapsed time on the worker,
//     which is its CPU time unless the worker was preempted meanwhile; the
//     peak is the last one read (a cheap job does not move it: its digits
//     are few).
// Cheap runs were a getrusage each, 13 % of the workers' CPU samples with
// tiny jobs; the estimates learn only from jobs of 1 ms or more
// (cost_correction.h), which are all measured alone.
// Not thread-safe (one per worker loop); cannot fail (a failed getrusage
// reads as zeros, as os::SelfResourceUsage does).
#pragma once

#include <cstdint>

#include "os/resource_usage.h"

namespace fibpool::worker {

class RunMeter {
 public:
  // Reads the peak resident size once, for the cheap runs before the first
  // job measured alone.
  RunMeter();
  // A run starts; `measured_alone`: its first job is measured alone.
  void Begin(bool measured_alone);
  // The run that Begin() started ended: what it cost (cpu_ns: CPU time, or
  // elapsed time for a cheap run) and the peak resident size.
  os::ResourceUsage End();

 private:
  bool precise_ = false;        // this run reads getrusage
  std::uint64_t start_ns_ = 0;  // the reading at Begin()
  std::uint64_t peak_rss_bytes_ = 0;
};

}  // namespace fibpool::worker
