// How many client connections fit in the open-file limit: the descriptors
// fibpool holds for itself, estimated from its settings, and the connection
// limit in force once they are set aside.
//
// fibpool's own descriptors (steady state, plus the few a moment needs):
//   3                          stdin, stdout, stderr
//   1 + 1 + 1                  the line listener; the metrics and agent
//                              listeners when they are on
//   3 per event loop           epoll, its wake-up eventfd, its timerfd: the
//                              pool's loop and, with io_threads > 1, one per
//                              I/O thread
//   2                          the signal pipe
//   2                          held by the libraries besides (a /dev/null
//                              and a pipe, as /proc/PID/fd shows them)
//   2 per worker (both lanes)  its result pipe and its pidfd
//   kTransientDescriptors      one worker being spawned (its pipe's write
//                              end, the exec-error pipe), a shared-memory
//                              segment or a /proc file being opened
//   1                          the spare descriptor (spare_descriptor.h)
//   kOperatorConnections       HTTP and agent-check connections, when either
//                              port is on
// Segments are mapped and their descriptors closed at once, so they cost
// only the transient one. A SIGHUP that adds workers takes their descriptors
// from the connections' share: a connection that finds no descriptor gets
// `ERR busy` through the spare descriptor.
//
// Pure: no I/O.
#pragma once

#include <cstddef>
#include <cstdint>

#include "supervisor/config/config.h"

namespace fibpool::supervisor {

inline constexpr std::uint64_t kTransientDescriptors = 4;
inline constexpr std::uint64_t kOperatorConnections = 8;

// The descriptors fibpool holds besides its client connections, for `config`
// (workers and io_threads resolved, as LoadConfig leaves them).
std::uint64_t OwnDescriptors(const Config& config);

struct DescriptorBudget {
  std::uint64_t open_file_limit = 0;  // the soft RLIMIT_NOFILE; UINT64_MAX: unlimited
  std::uint64_t needed = 0;           // max_connections + OwnDescriptors
  // The connection limit in force: max_connections when the limit covers
  // `needed`, else what fits beside fibpool's own descriptors, at least 1.
  std::size_t max_connections = 0;
  bool short_of_limit() const { return open_file_limit < needed; }
};

DescriptorBudget PlanDescriptors(const Config& config, std::uint64_t open_file_limit);

}  // namespace fibpool::supervisor
