// What the pool is built from: the settings (Config, read as they are, not
// copied field by field), the worker executable, and the command line each
// worker gets. Pure apart from finding the executable.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "ipc/worker_args.h"
#include "supervisor/config/config.h"

namespace fibpool::supervisor {

struct PoolOptions {
  Config settings;  // workers, reserve_workers, job_timeout, max_backlog, worker_* ...
  std::filesystem::path worker_path;
  std::chrono::milliseconds stop_grace{5'000};  // after sentinels, before SIGKILL
};

// `config.worker_path`, or fibpool-worker beside the running executable.
PoolOptions PoolOptionsFrom(const Config& config);

enum class LaneKind { kMain, kReserve };

// The command line of a worker of `lane` in cell `cell` of queue `segment`:
// main-lane workers run at worker_nice with the default slice, reserve-lane
// ones at nice 0 with the short latency slice; each gets its own recycling
// limit (recycle_limit.h), a random draw.
ipc::WorkerArgs WorkerArgsFor(const PoolOptions& options, LaneKind lane, const std::string& segment,
                              std::uint32_t cell, pid_t supervisor);

}  // namespace fibpool::supervisor
