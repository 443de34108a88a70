// What /proc and /dev/shm say about a fibpool the bench started: the
// supervisor's memory and descriptors, its shared-memory segments, and
// whether the worker processes it had are still running. Free functions;
// each reads the kernel's current state and never throws (a process that is
// gone reads as zeros).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <vector>

namespace fibpool::bench {

struct ProcessMemory {
  std::uint64_t rss = 0, anon = 0, shmem = 0;  // bytes
};
// /proc/PID/status; zeros when the process is gone.
ProcessMemory ReadProcessMemory(pid_t pid);
// Entries of /proc/PID/fd; 0 when the process is gone.
unsigned CountFds(pid_t pid);

struct ShmUse {
  std::uint64_t bytes = 0;  // allocated (st_blocks), what tmpfs holds
  unsigned segments = 0;
};
// /dev/shm/fibpool.<supervisor>.*
ShmUse ShmOf(pid_t supervisor);

// When `pid` started (field 22 of /proc/PID/stat, clock ticks after boot):
// with the pid, names a process even after its pid is reused. 0 when gone.
std::uint64_t StartTicks(pid_t pid);

// Processes by pid and StartTicks: the workers the soak has seen.
using ProcessSet = std::map<pid_t, std::uint64_t>;
// Adds `pids` (those still running) to `set`.
void AddProcesses(const std::vector<pid_t>& pids, ProcessSet* set);
// How many of `set` still run (same pid, same start).
unsigned StillRunning(const ProcessSet& set);

}  // namespace fibpool::bench
