#include "supervisor/pool/pool_options.h"

#include "os/scheduling.h"
#include "supervisor/pool/recycle_limit.h"

namespace fibpool::supervisor {

PoolOptions PoolOptionsFrom(const Config& config) {
  PoolOptions options;
  options.settings = config;
  options.worker_path =
      !config.worker_path.empty()
          ? std::filesystem::path(config.worker_path)
          : std::filesystem::read_symlink("/proc/self/exe").parent_path() / "fibpool-worker";
  return options;
}

ipc::WorkerArgs WorkerArgsFor(const PoolOptions& options, LaneKind lane, const std::string& segment,
                              std::uint32_t cell, pid_t supervisor) {
  const Config& c = options.settings;
  ipc::WorkerArgs args;
  args.segment = segment;
  args.cell = cell;
  args.supervisor_pid = supervisor;
  args.max_n = c.max_n;
  args.spin = c.worker_spin;
  args.max_jobs = SpreadRecycleLimit(c.max_jobs_per_worker, cell,
                                     lane == LaneKind::kMain ? c.workers : c.reserve_workers,
                                     RecycleDraw());
  args.max_memory_mb = c.max_worker_memory_mb;
  args.nice = lane == LaneKind::kMain ? c.worker_nice : 0;
  args.slice = lane == LaneKind::kMain ? std::chrono::microseconds(0) : os::kLatencySlice;
  args.log_level = c.log_level;
  return args;
}

}  // namespace fibpool::supervisor
