// What /proc/PID/stat says about a process: the CPU time it has used and when
// it started. Reads procfs only; a process that is gone (or a field that
// cannot be read) gives 0, never an error.
#pragma once

#include <sys/types.h>

namespace fibpool::supervisor {

// User + system CPU time of `pid` so far, in seconds (utime + stime).
double ProcessCpuSeconds(pid_t pid);

// When this process started, in seconds since the Unix epoch (starttime of
// /proc/self/stat plus the boot time btime of /proc/stat), as Prometheus'
// process_start_time_seconds.
double ProcessStartTimeSeconds();

}  // namespace fibpool::supervisor
