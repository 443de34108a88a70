// CPU time used so far by a server process and by its child processes (a
// fibpool supervisor and its workers), and how many times they were scheduled
// in (each wake-up from a sleep, each preemption), read from /proc without
// disturbing them: every thread's /proc/PID/task/TID/schedstat (nanoseconds
// on CPU, nanoseconds waiting to run, timeslices run).
//
// Children are found through /proc/PID/task/TID/children; a child that has
// exited is no longer counted (fibpool replaces workers only on crashes,
// timeouts and recycling, none of which the bench provokes outside the busy
// scenario's cancellations). Returns zeros for a process that is gone.
#pragma once

#include <sys/types.h>

namespace fibpool::bench {

struct CpuTimes {
  double self_seconds = 0;       // the process itself (all its threads)
  double children_seconds = 0;   // its live child processes (all their threads)
  double self_wait_seconds = 0;  // runnable but waiting for a CPU
  double children_wait_seconds = 0;
  unsigned long long self_slices = 0;  // times scheduled in
  unsigned long long children_slices = 0;
};

CpuTimes ReadCpuTimes(pid_t pid);

}  // namespace fibpool::bench
