// What the pool reports about itself (WorkerPool::Snapshot()), for `stats`,
// /metrics and /healthz. Plain values, copied out of the pool.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ipc/job.h"
#include "os/monotonic_clock.h"
#include "supervisor/sched/fair_queue.h"

namespace fibpool::supervisor {

// How many flows `stats` and /metrics name: the ones with the most waiting
// jobs (a bounded number of labels, however many clients there are).
inline constexpr std::size_t kReportedFlows = 8;

struct WorkerView {
  pid_t pid;
  // starting, idle, busy, or stopping (killed by the supervisor, exit not yet seen)
  std::string state;
  std::uint64_t jobs_done;
  std::uint64_t current_job;  // 0 = none
  // The current job's algorithm and N, when current_job is a job still pending.
  std::optional<ipc::Algorithm> job_algorithm = std::nullopt;
  std::uint64_t job_n = 0;
  std::uint64_t job_started_ns = 0;  // os::MonotonicNanos() when it started; 0 = none
  double cpu_seconds = 0;            // user + system CPU time the process has used
  // Summed from its results (ipc::ResultMessage): the CPU time of the jobs it
  // answered, and its peak resident size so far (0 before its first answer).
  double job_cpu_seconds = 0;
  std::uint64_t peak_rss_bytes = 0;
};

struct PoolSnapshot {
  std::vector<WorkerView> workers;          // the main lane
  std::vector<WorkerView> reserve_workers;  // the cheap-job lane
  unsigned target_workers;
  unsigned target_reserve_workers = 0;
  std::uint64_t taken_ns = 0;        // os::MonotonicNanos() when the snapshot was taken
  std::uint64_t respawn_backoff_ms;  // > 0 while workers die as fast as they start
  std::uint64_t queue_depth;
  std::size_t backlog;
  std::vector<FlowDepth> top_flows;  // at most kReportedFlows, most waiting jobs first
  std::size_t quarantined_inputs;    // refused now: their jobs killed two workers
  // This machine's cost over the reference machine's, as learned so far
  // (cost_correction.h), by ipc::AlgorithmIndex().
  std::array<double, ipc::kAlgorithmCount> cost_factors{1.0, 1.0};
  std::size_t jobs_pending;  // submitted and not yet answered
  std::uint64_t lock_recoveries;
  // Large results and /dev/shm (result_budget.h).
  std::size_t jobs_waiting_for_shm = 0;      // waiting for room for their result buffer
  std::uint64_t result_bytes_in_flight = 0;  // buffers granted, results not yet back
  std::uint64_t result_bytes_held = 0;       // buffers mapped, answers not yet written
  std::uint64_t result_bytes_piped = 0;      // results routed through the pipe, not yet written
  std::uint64_t shm_free_bytes = 0;          // free in /dev/shm now
  std::uint64_t jobs_waited_for_shm = 0;     // ever: jobs that waited for room
  std::uint64_t results_piped = 0;           // ever: results routed through the pipe
};

}  // namespace fibpool::supervisor
