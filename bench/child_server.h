// Owner of one server child process the bench starts (fibpool, or
// fibpool-baseline): starts it, waits for its ready line on stdout
// ("... listening on HOST:PORT [workers=N]"), and stops it.
//
// Launch policy: stdout is a pipe to the bench (read for the ready line, then
// left open so the child never gets EPIPE); stdin and stderr are inherited;
// the child gets SIGTERM if the bench dies (PR_SET_PDEATHSIG). Every other
// descriptor of the bench is O_CLOEXEC.
//
// Lifetime: move-only; a moved-from ChildServer is empty. The destructor
// stops a running child: SIGTERM (fibpool drains), then SIGKILL after the
// grace period, and reaps it. No orphan is left behind.
//
// Failure: Start() throws std::runtime_error (the child did not start, exited,
// or printed no ready line in time). Start-up only.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "os/unique_fd.h"

namespace fibpool::bench {

class ChildServer {
 public:
  ChildServer() = default;
  ChildServer(ChildServer&& other) noexcept;
  ChildServer& operator=(ChildServer&& other) noexcept;
  ChildServer(const ChildServer&) = delete;
  ChildServer& operator=(const ChildServer&) = delete;
  ~ChildServer();

  // argv[0] is the executable's path.
  static ChildServer Start(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);

  // SIGTERM, up to `grace` for it to exit, then SIGKILL; reaps. Returns the
  // exit status (or 128 + signal). No-op (returns -1) when empty.
  int Stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
  // SIGKILL and reap at once (a server stalled on purpose).
  void Kill();

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  const boost::asio::ip::tcp::endpoint& endpoint() const { return endpoint_; }
  unsigned workers() const { return workers_; }
  const std::string& ready_line() const { return ready_line_; }
  const std::vector<std::string>& argv() const { return argv_; }

 private:
  std::vector<std::string> argv_;
  pid_t pid_ = -1;
  os::UniqueFd stdout_;
  boost::asio::ip::tcp::endpoint endpoint_;
  unsigned workers_ = 0;
  std::string ready_line_;
};

// Parses "... listening on HOST:PORT [workers=N]". False if it is not one.
bool ParseReadyLine(const std::string& line, boost::asio::ip::tcp::endpoint* endpoint,
                    unsigned* workers);

}  // namespace fibpool::bench
