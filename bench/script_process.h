// One client script the bench runs as published (the articles' perf1.py and
// perf2.py, bench/articles/), started with Boost.Process v2; its output read
// line by line, every wait bounded by a deadline (a NowNanos() timestamp,
// bench/clock.h).
//
// Launch policy: stdin is /dev/null; stderr is a pipe to the bench, and so
// is stdout unless it is discarded (to /dev/null: output nobody reads would
// fill the pipe and block the script); a traceback is read like any other
// line. The child gets SIGKILL if the bench's thread that started it ends
// (PR_SET_PDEATHSIG). Every other descriptor of the bench is O_CLOEXEC.
//
// Lifetime: owns the process, which runs until Kill() or the destructor:
// SIGKILL and reap, so no process is left behind. Not copyable or movable;
// one thread uses it.
//
// Failure: the constructor throws std::runtime_error when the process cannot
// be started. ReadLine says std::nullopt at the deadline and at EOF (the
// script exited, exited() then); nothing else throws.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

// Boost.Process v2 of Boost 1.81 uses these without including them.
#include <boost/optional.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/process/v2/process.hpp>

#include "os/unique_fd.h"

namespace fibpool::bench {

class ScriptProcess {
 public:
  enum class Stdout { kRead, kDiscard };

  // argv[0] is the executable's path (the Python interpreter).
  explicit ScriptProcess(const std::vector<std::string>& argv, Stdout out = Stdout::kRead);
  ~ScriptProcess();
  ScriptProcess(const ScriptProcess&) = delete;
  ScriptProcess& operator=(const ScriptProcess&) = delete;

  // The next line of its output (stderr's, and stdout's when read), without
  // its LF.
  std::optional<std::string> ReadLine(std::int64_t deadline_ns);
  // Whether its output ended (it exited, or closed both stdout and stderr).
  bool exited() const { return eof_; }
  pid_t pid() const { return pid_; }
  // SIGKILL and reap at once; no-op after the first call.
  void Kill();

 private:
  boost::asio::io_context io_;  // the process handle's; never run
  std::unique_ptr<boost::process::v2::process> process_;
  pid_t pid_ = -1;
  os::UniqueFd output_;
  std::string buffer_;  // read and not yet returned
  bool eof_ = false;
};

}  // namespace fibpool::bench
