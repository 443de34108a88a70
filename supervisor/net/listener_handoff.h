// Starting a program with listening sockets handed over by systemd's socket
// activation protocol (inherited_sockets.h says what the receiver reads):
// the sockets on descriptors 3, 4, ..., LISTEN_FDS and LISTEN_FDNAMES in its
// environment, LISTEN_PID set to its own pid in the child between fork and
// exec. What a binary upgrade (upgrade.h) uses to start the new fibpool; the
// end-to-end tests use it to play systemd.
//
// The child: a process of its own (fork + execve), in a new session when
// `new_session` (so that a signal to the starter's process group or terminal
// does not reach it), with an empty signal mask, and with no other descriptor
// of the starter's than 0, 1, 2, the sockets and the ready descriptor (every
// other one is marked close-on-exec in the child). It is the caller's child:
// whoever started it reaps it, or leaves it to init (or a subreaper) by
// exiting first. Thread-safety: SpawnWithListeners may be called from any
// thread; between fork and exec the child calls async-signal-safe functions
// only.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "os/posix_error.h"

namespace fibpool::supervisor {

struct HandedListener {
  int fd = -1;       // the starter's descriptor, left open in the starter
  std::string name;  // its LISTEN_FDNAMES name (no ':')
};

struct HandoffSpec {
  std::filesystem::path program;
  std::vector<std::string> argv;  // argv[0] first
  std::vector<HandedListener> listeners;
  // A descriptor handed over as FIBPOOL_READY_FD (after the sockets), or -1.
  int ready_fd = -1;
  bool new_session = true;
};

// The child's environment but LISTEN_PID: `base` ("NAME=value" entries)
// without LISTEN_PID, LISTEN_FDS, LISTEN_FDNAMES and FIBPOOL_READY_FD, then
// LISTEN_FDS and LISTEN_FDNAMES for `listeners`, and FIBPOOL_READY_FD when
// `ready_fd` >= 0. Pure.
std::vector<std::string> HandoffEnvironment(const std::vector<std::string>& base,
                                            const std::vector<HandedListener>& listeners,
                                            bool ready_fd);

// The current process's environment, as HandoffEnvironment takes it.
std::vector<std::string> CurrentEnvironmentEntries();

// Starts spec.program with the current environment (HandoffEnvironment).
// Returns the child's pid, or the errno of a failed dup or fork. An exec that
// fails ends the child with exit status 127.
os::Result<pid_t> SpawnWithListeners(const HandoffSpec& spec);

}  // namespace fibpool::supervisor
