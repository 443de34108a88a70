// What /proc/PID/stat says about a process: the CPU time it has used and when
// it started; and what /metrics reports about the supervisor itself (its
// descriptors and memory). Reads procfs (and getrlimit) only; a process that
// is gone (or a field that cannot be read) gives 0, never an error.
#pragma once

#include <sys/types.h>

namespace fibpool::supervisor {

// User + system CPU time of `pid` so far, in seconds (utime + stime).
double ProcessCpuSeconds(pid_t pid);

// When this process started, in seconds since the Unix epoch (starttime of
// /proc/self/stat plus the boot time btime of /proc/stat), as Prometheus'
// process_start_time_seconds.
double ProcessStartTimeSeconds();

// The figures of the Prometheus client libraries' process_* metrics, except
// the start time (ProcessStartTimeSeconds, read once).
struct ProcessUsage {
  double cpu_seconds = 0;     // user + system CPU time so far
  double open_fds = 0;        // entries of /proc/self/fd
  double max_fds = 0;         // the soft RLIMIT_NOFILE
  double resident_bytes = 0;  // rss of /proc/self/stat, in bytes
  double virtual_bytes = 0;   // vsize of /proc/self/stat
};

// This process's usage now. Lists /proc/self/fd: a cost that grows with the
// open connections, meant for a scrape, not for every `stats`.
ProcessUsage ReadProcessUsage();

}  // namespace fibpool::supervisor
