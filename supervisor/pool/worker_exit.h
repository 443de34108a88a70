// Why a worker process ended, decided from its exit status and from what the
// pool did to it. Pure: no I/O, no processes.
#pragma once

#include <string>
#include <string_view>

namespace fibpool::supervisor {

// How a process ended: its exit status, or the signal that killed it.
struct ExitStatus {
  int code = 0;    // meaningful when signal == 0
  int signal = 0;  // the terminating signal; 0: it exited

  bool operator==(const ExitStatus&) const = default;
};

// "SIGKILL" for a death by signal, the decimal status otherwise.
std::string ExitStatusText(ExitStatus status);

// Why the pool killed a worker, if it did.
enum class KillCause { kNone, kTimeout, kCancel, kStop };

enum class ExitCause {
  kCrash,        // died on its own: a signal or an unexpected status
  kStop,         // took a sentinel while the pool stops
  kResize,       // took a sentinel that shrank the pool
  kRecycle,      // reached max_jobs_per_worker or max_worker_memory
  kOutOfMemory,  // GMP could not get memory; the job was answered first
  kTimeout,      // killed: its job ran past job_timeout
  kCancel,       // killed: its job had nobody waiting for it
  kStopGrace,    // killed: still running when the stop grace ran out
};

// The word used in logs ("crash", "stop", "resize", ...).
std::string_view ExitCauseName(ExitCause cause);

// `stopping`: the pool has sent its stop sentinels.
ExitCause ClassifyExit(ExitStatus status, KillCause killed, bool stopping);

// A death the logs report as a warning: a crash, running out of memory, or a
// kill for a timeout or the stop grace. A kill that cancels a job whose client
// left is routine (info).
bool IsAbnormal(ExitCause cause);

}  // namespace fibpool::supervisor
