// A real fibpool supervisor started by a test: build/bin/fibpool on
// 127.0.0.1 with --port 0, its ready line parsed for the port. Its stderr (the
// log) goes to a temporary file the test can read.
//
// The destructor kills (SIGKILL) and reaps the supervisor if the test did not
// stop it, and then kills any worker it left, so a failing test never leaks
// processes into the next. It also fails the running test when the log holds
// a sanitizer report (SanitizerReport below) that ExpectNoSanitizerReport did
// not report already. Not thread-safe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fibpool::testing {

std::string BinDir();

// fibpool's default reserve lane: worker processes beyond --workers that run
// only cheap jobs. A supervisor has workers + kReserveWorkers children.
inline constexpr unsigned kReserveWorkers = 1;

class ServerProcess {
 public:
  // Starts fibpool with `args` (after --host 127.0.0.1 unless `args` has a
  // --host or a --config, and --port 0 unless it has a --port, and --io-threads N when the
  // test's environment has FIBPOOL_TEST_IO_THREADS=N and the test sets no
  // io_threads) and extra environment variables (the test's own
  // FIBPOOL_* variables are not passed on); waits up to 30 s for the ready
  // line. Throws std::runtime_error (with the log) if it does not come,
  // after killing the process and removing its log file. With
  // `own_process_group` the supervisor leads a new process group (its pid is
  // the group id), as under a service manager: kill(-pid()) signals it and
  // its workers, not the test. A non-empty `command_prefix` is run instead,
  // with fibpool's path and arguments appended: a wrapper (first element: an
  // absolute path) that must end by exec'ing them, so that pid() is
  // fibpool's (e.g. `unshare -m ... sh -c '...; exec "$0" "$@"'`).
  explicit ServerProcess(std::vector<std::string> args = {},
                         std::map<std::string, std::string> env = {},
                         bool own_process_group = false,
                         std::vector<std::string> command_prefix = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  pid_t pid() const { return pid_; }
  std::uint16_t port() const { return port_; }
  const std::string& ready_line() const { return ready_line_; }
  unsigned workers_in_ready_line() const { return workers_in_ready_line_; }

  void Signal(int signo) const;
  // Waits for the supervisor to exit; its exit code (128 + signal if killed),
  // or std::nullopt if it is still running after `timeout`.
  std::optional<int> WaitExit(std::chrono::milliseconds timeout);
  bool exited() const { return exited_; }

  // The supervisor's log so far.
  std::string Log() const;
  // Fails the running test (ADD_FAILURE) when the complete lines the log has
  // gained since the last call hold a sanitizer report: for a server that
  // outlives one test (tests/support/shared_server.h).
  void ExpectNoSanitizerReport();
  // Live child processes of the supervisor (its workers).
  std::vector<pid_t> WorkerPids() const;

 private:
  void Start(std::vector<std::string> args, const std::map<std::string, std::string>& env,
             bool own_process_group, std::vector<std::string> command_prefix);
  // Kills and reaps what still runs, closes the pipe, removes the log file.
  void Cleanup();

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::uint16_t port_ = 0;
  std::string ready_line_;
  unsigned workers_in_ready_line_ = 0;
  std::string log_path_;
  std::size_t log_checked_ = 0;  // bytes of the log ExpectNoSanitizerReport has read
  bool exited_ = false;
  std::vector<pid_t> last_workers_;
};

// What a fibpool run that is expected to end by itself (--help, --version,
// bad options) printed, and how it ended.
struct CommandResult {
  std::optional<int> exit_code;  // std::nullopt: killed by a signal or at the deadline
  std::string out;               // stdout
  std::string err;               // stderr
};

// Runs build/bin/fibpool with exactly `args` and the environment described
// for ServerProcess, stdin /dev/null, and waits for it to exit. Kills it
// (SIGKILL) when it is still running after `timeout`. Throws
// std::runtime_error when it cannot be started.
CommandResult RunFibpool(std::vector<std::string> args, std::map<std::string, std::string> env = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Processes whose parent is `parent`.
std::vector<pid_t> ChildrenOf(pid_t parent);
bool ProcessAlive(pid_t pid);
// Open file descriptors of this process.
int OpenFdCount();
// What each open descriptor of `pid` refers to (readlink of /proc/PID/fd/*,
// e.g. "socket:[1234]", "pipe:[5678]", "/dev/null"); empty if it is gone.
std::vector<std::string> FdTargets(pid_t pid);
// Names under /dev/shm that belong to the fibpool instance `supervisor`.
std::vector<std::string> SegmentsOf(pid_t supervisor);

// The first sanitizer report (AddressSanitizer, LeakSanitizer,
// UndefinedBehaviorSanitizer, ThreadSanitizer) in `text`, from the start of
// its line, at most 16 KiB of it; empty when there is none. In a sanitized
// build (scripts/sanitize) a finding in fibpool or in one of its workers must
// fail the test even when the test cannot observe it (a worker that dies of
// it is replaced and its job retried): ServerProcess, when it goes away, and
// RunFibpool check the log / stderr with this and, on a report, fail the
// running test (ADD_FAILURE) with the report.
std::string SanitizerReport(std::string_view text);

}  // namespace fibpool::testing
