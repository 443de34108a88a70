// The worker's command line: what the supervisor passes to each worker it
// starts, built and parsed here and nowhere else, so that the two sides
// cannot disagree on a name or a default.
//
// Format: "--name value" pairs, every field always written by
// ToCommandLine(); ParseWorkerArgs() accepts them in any order, requires
// segment, cell, supervisor-pid and max-n, and takes the defaults
// (ipc/defaults.h) for the others.
//
// Failure behaviour: ParseWorkerArgs returns an IpcError (ipc/ipc_error.h):
// kUnexpectedArgument (a word that is not an --option), kUnknownArgument,
// kBadArgumentValue (a missing or malformed value) or kMissingArgument (a
// required option is absent). The caller, which holds the command line,
// says which in its message.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "ipc/defaults.h"
#include "os/posix_error.h"

namespace fibpool::ipc {

struct WorkerArgs {
  std::string segment;                              // the job queue's segment name
  std::uint32_t cell = 0;                           // this worker's cell in the queue
  pid_t supervisor_pid = 0;                         // exit when the parent is no longer this pid
  int result_fd = kResultFd;                        // write end of the result pipe
  std::uint64_t max_n = kDefaultMaxN;               // largest n for fast
  std::uint64_t inline_limit = kInlineResultLimit;  // largest inline result, in digits
  std::chrono::microseconds spin = kDefaultWorkerSpin;  // busy-wait before sleeping
  std::uint64_t max_jobs = 0;                           // recycle after this many jobs (0: never)
  std::uint64_t max_memory_mb = 0;                      // memory limit in MiB (0: none)
  int nice = 0;                                         // raise the nice value to at least this
  std::chrono::microseconds slice{0};  // scheduler time slice (0: the kernel's default)
  std::string log_level{kDefaultLogLevel};

  bool operator==(const WorkerArgs&) const = default;
};

// The arguments after the program name.
std::vector<std::string> ToCommandLine(const WorkerArgs& args);

// `argv` without the program name.
os::Result<WorkerArgs> ParseWorkerArgs(const std::vector<std::string>& argv);

}  // namespace fibpool::ipc
