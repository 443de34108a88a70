// Listening sockets handed to fibpool at start by whoever started it: systemd
// socket activation, `systemd-socket-activate`, or the fibpool it replaces in
// a binary upgrade (upgrade.h). The protocol is systemd's (sd_listen_fds(3)):
//
//   LISTEN_PID      the pid the sockets are meant for; another pid ignores them
//   LISTEN_FDS      how many: the descriptors 3, 4, ... 3+N-1
//   LISTEN_FDNAMES  optional, one name per descriptor, separated by ':'
//
// A descriptor named `metrics` serves the metrics port, one named `agent` the
// agent check; the first descriptor with any other name (or without names:
// the first descriptor) serves the line protocol. Further ones are closed and
// reported in `unused`. A socket handed over replaces the bind of its
// listener: host and port are not used for it, and a `metrics` or `agent`
// socket turns that listener on even when its port setting is off.
//
// FIBPOOL_READY_FD, when set with the sockets, names a descriptor on which the
// predecessor of a binary upgrade waits for this process's ready line
// (ReadyReport below).
//
// Ownership: FromEnvironment() takes the descriptors (it marks them
// close-on-exec, so that workers do not inherit them) and removes the
// variables from the environment, so that no child sees them; each is then
// owned by the InheritedSockets until taken. Not thread-safe: read once in
// main(), before any thread starts.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "os/posix_error.h"
#include "os/unique_fd.h"

namespace fibpool::supervisor {

// The names of LISTEN_FDNAMES that pick a listener.
inline constexpr std::string_view kLineSocketName = "line";
inline constexpr std::string_view kMetricsSocketName = "metrics";
inline constexpr std::string_view kAgentSocketName = "agent";
// The first descriptor of the protocol.
inline constexpr int kListenFdsStart = 3;
// The variable that names the upgrade's ready descriptor.
inline constexpr const char* kReadyFdVariable = "FIBPOOL_READY_FD";

enum class ListenerRole { kLine, kMetrics, kAgent, kUnused };

// The roles of the descriptors 3.. in order, from LISTEN_FDNAMES' names
// (empty: none given). Pure.
std::vector<ListenerRole> AssignListenerRoles(std::size_t count,
                                              const std::vector<std::string>& names);

// What the three variables say, for process `self`: how many descriptors are
// meant for it (0 when LISTEN_PID is unset or another pid's) and their names.
// Pure. Fails with EINVAL on a malformed LISTEN_PID or LISTEN_FDS, or a
// LISTEN_FDNAMES whose count differs from LISTEN_FDS.
struct ListenFds {
  std::size_t count = 0;
  std::vector<std::string> names;  // empty, or `count` names
};
os::Result<ListenFds> ParseListenFds(pid_t self, const char* listen_pid, const char* listen_fds,
                                     const char* listen_fdnames);

class InheritedSockets {
 public:
  InheritedSockets() = default;
  // Reads and removes LISTEN_PID, LISTEN_FDS, LISTEN_FDNAMES and
  // FIBPOOL_READY_FD. Throws std::runtime_error when they are malformed or a
  // descriptor is not open.
  static InheritedSockets FromEnvironment();

  // The socket for `role`, or an empty UniqueFd when none was handed over.
  os::UniqueFd Take(ListenerRole role);
  // Descriptors handed over that no listener takes (their names, or "fd N").
  const std::vector<std::string>& unused() const { return unused_; }
  // The descriptor of the upgrade's ready line, or an empty one.
  os::UniqueFd TakeReadyFd() { return std::move(ready_fd_); }

 private:
  os::UniqueFd line_, metrics_, agent_, ready_fd_;
  std::vector<std::string> unused_;
};

// Writes fibpool's ready line ("ready PID\n") to the predecessor of an
// upgrade and closes the descriptor; does nothing on an empty one. A
// predecessor that is gone is not an error worth more than a warning, so the
// error code is returned for the log.
boost::system::error_code ReportReady(os::UniqueFd ready_fd);

}  // namespace fibpool::supervisor
