// A binary upgrade on SIGUSR2, as nginx does it: start the fibpool binary on
// disk (the path this process was started from) as a new process that takes
// over the listening sockets (listener_handoff.h; no new bind, so no
// connection is refused), and once it reports ready, let this one drain and
// exit. The new process starts its own workers and shared memory (their
// names carry its pid). It runs in a session of its own, and is this
// process's child only until this one exits (then init, or the nearest
// subreaper, adopts it); the worker pool never sees it, since the pool waits
// for its workers' pids only.
//
// Readiness: the new process writes "ready PID\n" on a pipe whose write end
// it inherits (FIBPOOL_READY_FD, inherited_sockets.h) when it prints its own
// ready line. If it exits first (the pipe reaches EOF), or has not reported
// ready within kUpgradeReadyTimeout (it is then sent SIGTERM, which stops a
// fibpool that is not ready yet at once, and SIGKILL kUpgradeStopGrace
// later), the upgrade fails: `event=upgrade_failed` is logged with the
// reason and this process goes on serving. The failed child is reaped.
//
// Thread-safety: the supervisor's event loop only.
#pragma once

#include <sys/types.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "supervisor/net/listener_handoff.h"

namespace fibpool::supervisor {

inline constexpr std::chrono::seconds kUpgradeReadyTimeout{30};
inline constexpr std::chrono::seconds kUpgradeStopGrace{5};

class BinaryUpgrade {
 public:
  // `program` and `argv` (argv[0] first) start the new process.
  BinaryUpgrade(boost::asio::io_context& io, std::filesystem::path program,
                std::vector<std::string> argv);
  ~BinaryUpgrade();
  BinaryUpgrade(const BinaryUpgrade&) = delete;
  BinaryUpgrade& operator=(const BinaryUpgrade&) = delete;

  // Starts the new process with `listeners`. Calls `on_ready(pid)` once it
  // has reported ready; on failure logs `event=upgrade_failed` and calls
  // nothing. Ignored (and logged) while an upgrade is under way.
  void Start(std::vector<HandedListener> listeners, std::function<void(pid_t)> on_ready);
  bool in_progress() const { return phase_ != Phase::kIdle; }

 private:
  enum class Phase { kIdle, kWaiting, kStopping };
  void Read();
  void OnLine();
  void OnTimeout();
  // Ends the attempt: logs why, kills what is left and reaps it.
  void Fail(const std::string& why);
  void Reset();

  boost::asio::posix::stream_descriptor pipe_;
  boost::asio::steady_timer timer_;
  std::filesystem::path program_;
  std::vector<std::string> argv_;
  std::function<void(pid_t)> on_ready_;
  Phase phase_ = Phase::kIdle;
  pid_t pid_ = -1;
  std::string received_;
  std::array<char, 256> buffer_{};
  std::string stop_reason_;  // why the new process was told to stop
};

}  // namespace fibpool::supervisor
