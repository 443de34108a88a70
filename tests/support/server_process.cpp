#include "tests/support/server_process.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "tests/support/exit_status.h"
#include "tests/support/ready_line.h"
#include "tests/support/wait.h"

extern char** environ;

namespace fibpool::testing {

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

pid_t ParentOf(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return -1;
  // "pid (comm) state ppid ...": comm may hold spaces, so parse after ')'.
  const auto close = line.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream rest(line.substr(close + 2));
  char state = 0;
  pid_t ppid = -1;
  rest >> state >> ppid;
  return state == 'Z' ? -1 : ppid;
}

// This process's environment without FIBPOOL_* (the test's own variables do
// not leak into the server), plus `extra`.
std::vector<std::string> ServerEnvironment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    if (std::strncmp(*e, "FIBPOOL_", 8) != 0) env.emplace_back(*e);
  }
  for (const auto& [k, v] : extra) env.push_back(k + "=" + v);
  return env;
}

// posix_spawn of `argv` with ServerEnvironment(env), stdout and stderr on the
// given descriptors, if asked stdin from /dev/null and, if asked, in a new
// process group. Returns its error.
int Spawn(std::vector<std::string> argv_strings, const std::map<std::string, std::string>& env,
          bool null_stdin, int out_fd, int err_fd, pid_t* pid, bool own_process_group = false) {
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings = ServerEnvironment(env);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (null_stdin)
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  if (own_process_group) {
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
  }
  const int rc = ::posix_spawn(pid, argv[0], &actions, &attributes, argv.data(), envp.data());
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  return rc;
}

}  // namespace

std::string BinDir() {
  const char* dir = std::getenv("FIBPOOL_TEST_BIN_DIR");
  return dir ? dir : FIBPOOL_BIN_DIR;
}

ServerProcess::ServerProcess(std::vector<std::string> args, std::map<std::string, std::string> env,
                             bool own_process_group, std::vector<std::string> command_prefix) {
  try {
    Start(std::move(args), env, own_process_group, std::move(command_prefix));
  } catch (...) {
    Cleanup();  // no process, descriptor or log file outlives a failed start
    throw;
  }
}

void ServerProcess::Start(std::vector<std::string> args,
                          const std::map<std::string, std::string>& env, bool own_process_group,
                          std::vector<std::string> command_prefix) {
  char log_template[] = "/tmp/fibpool-test-log.XXXXXX";
  const int log_fd = ::mkstemp(log_template);
  if (log_fd < 0) throw std::runtime_error("mkstemp failed");
  log_path_ = log_template;

  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(log_fd);
    throw std::runtime_error("pipe failed");
  }

  std::vector<std::string> argv_strings = {BinDir() + "/fibpool"};
  // --host 127.0.0.1 and --port 0 unless the test names them itself; a
  // test that gives a --config may name the host there (fibpool's own
  // default is 127.0.0.1 too).
  if (std::find(args.begin(), args.end(), "--host") == args.end() &&
      std::find(args.begin(), args.end(), "--config") == args.end()) {
    argv_strings.insert(argv_strings.end(), {"--host", "127.0.0.1"});
  }
  if (std::find(args.begin(), args.end(), "--port") == args.end()) {
    argv_strings.insert(argv_strings.end(), {"--port", "0"});
  }
  // FIBPOOL_TEST_IO_THREADS=N: the suite again with connections on N I/O
  // threads, unless the test sets io_threads itself.
  const char* io_threads = std::getenv("FIBPOOL_TEST_IO_THREADS");
  if (io_threads && *io_threads && !env.contains("FIBPOOL_IO_THREADS") &&
      std::find(args.begin(), args.end(), "--io-threads") == args.end()) {
    argv_strings.insert(argv_strings.end(), {"--io-threads", io_threads});
  }
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  argv_strings.insert(argv_strings.begin(), command_prefix.begin(), command_prefix.end());
  const int rc = Spawn(std::move(argv_strings), env, /*null_stdin=*/false, out[1], log_fd, &pid_,
                       own_process_group);
  ::close(out[1]);
  ::close(log_fd);
  stdout_fd_ = out[0];
  if (rc != 0) {
    pid_ = -1;
    throw std::runtime_error("cannot start " + argv_strings[0]);
  }

  // Read the ready line, with a deadline.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::string got;
  while (got.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{stdout_fd_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char buf[256];
    const ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  const auto lf = got.find('\n');
  const std::optional<ReadyLine> ready = lf == std::string::npos || !got.starts_with("fibpool ")
                                             ? std::nullopt
                                             : ParseReadyLine(got.substr(0, lf));
  if (!ready) {
    throw std::runtime_error("fibpool did not become ready; stdout: '" + got + "' log:\n" + Log());
  }
  ready_line_ = got.substr(0, lf);
  port_ = ready->port;
  workers_in_ready_line_ = ready->workers;
}

ServerProcess::~ServerProcess() { Cleanup(); }

void ServerProcess::Cleanup() {
  if (pid_ > 0 && !exited_) {
    last_workers_ = WorkerPids();
    ::kill(pid_, SIGKILL);
    WaitExit(std::chrono::seconds(10));
  }
  // Workers die with their supervisor (parent-death signal); make sure.
  for (pid_t w : last_workers_) ::kill(w, SIGKILL);
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  if (!log_path_.empty()) {
    // A sanitizer finding in the supervisor or a worker fails the test.
    // What ExpectNoSanitizerReport has not read, an unended last line too.
    const std::string log = Log();
    const std::string_view unread = std::string_view(log).substr(std::min(log_checked_, log.size()));
    if (const std::string report = SanitizerReport(unread); !report.empty()) {
      ADD_FAILURE() << "sanitizer report in the fibpool log:\n" << report;
    }
    ::unlink(log_path_.c_str());
  }
}

void ServerProcess::Signal(int signo) const {
  if (!exited_) ::kill(pid_, signo);
}

std::optional<int> ServerProcess::WaitExit(std::chrono::milliseconds timeout) {
  if (exited_) return std::nullopt;
  int status = 0;
  const bool done = WaitFor(
      [&] {
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        return r == pid_;
      },
      timeout);
  if (!done) return std::nullopt;
  exited_ = true;
  return ExitCodeOf(status);
}

std::string ServerProcess::Log() const { return ReadFile(log_path_); }

void ServerProcess::ExpectNoSanitizerReport() {
  const std::string log = Log();
  // Complete lines only: a report being written is read whole next time.
  const std::size_t end = log.rfind('\n') == std::string::npos ? 0 : log.rfind('\n') + 1;
  if (end <= log_checked_) return;
  const std::string report =
      SanitizerReport(std::string_view(log).substr(log_checked_, end - log_checked_));
  log_checked_ = end;
  if (!report.empty()) ADD_FAILURE() << "sanitizer report in the fibpool log:\n" << report;
}

std::vector<pid_t> ServerProcess::WorkerPids() const { return ChildrenOf(pid_); }

std::vector<pid_t> ChildrenOf(pid_t parent) {
  std::vector<pid_t> children;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(name));
    if (ParentOf(pid) == parent) children.push_back(pid);
  }
  return children;
}

bool ProcessAlive(pid_t pid) {
  if (::kill(pid, 0) != 0) return false;
  // A zombie is dead for our purposes.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

int OpenFdCount() {
  int n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

std::vector<std::string> FdTargets(pid_t pid) {
  std::vector<std::string> targets;
  std::error_code ec;
  for (const auto& e :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    const auto target = std::filesystem::read_symlink(e.path(), ec);
    if (!ec) targets.push_back(target.string());  // a descriptor may close meanwhile
  }
  return targets;
}

std::vector<std::string> SegmentsOf(pid_t supervisor) {
  std::vector<std::string> names;
  const std::string prefix = "fibpool." + std::to_string(supervisor) + ".";
  for (const auto& e : std::filesystem::directory_iterator("/dev/shm")) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) == 0) names.push_back(name);
  }
  return names;
}

CommandResult RunFibpool(std::vector<std::string> args, std::map<std::string, std::string> env,
                         std::chrono::milliseconds timeout) {
  int out[2];
  int err[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    throw std::runtime_error("pipe failed");
  }
  args.insert(args.begin(), BinDir() + "/fibpool");
  pid_t pid = -1;
  const int rc = Spawn(std::move(args), env, /*null_stdin=*/true, out[1], err[1], &pid);
  ::close(out[1]);
  ::close(err[1]);
  CommandResult result;
  if (rc != 0) {
    ::close(out[0]);
    ::close(err[0]);
    throw std::runtime_error("cannot start " + args[0]);
  }

  // Both pipes to EOF, then the exit status; a child past the deadline is killed.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  bool timed_out = false;
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    const int r = ::poll(fds, 2, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;  // poll ignores negative fds
      }
    }
  }
  for (const pollfd& p : fds) {
    if (p.fd >= 0) ::close(p.fd);
  }
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!timed_out && WIFEXITED(status)) result.exit_code = ExitCodeOf(status);
  if (const std::string report = SanitizerReport(result.err); !report.empty()) {
    ADD_FAILURE() << "sanitizer report in fibpool's stderr:\n" << report;
  }
  return result;
}

std::string SanitizerReport(std::string_view text) {
  // What each sanitizer's report starts with (UBSan: "file:line:col: runtime
  // error: ..." and, with print_stacktrace, a SUMMARY line).
  static constexpr std::string_view kMarkers[] = {
      "ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "WARNING: ThreadSanitizer",
      "ERROR: ThreadSanitizer",  ": runtime error: ",    "SUMMARY: UndefinedBehaviorSanitizer",
  };
  std::size_t first = std::string_view::npos;
  for (const std::string_view marker : kMarkers) first = std::min(first, text.find(marker));
  if (first == std::string_view::npos) return {};
  const std::size_t line = text.rfind('\n', first);
  const std::size_t start = line == std::string_view::npos ? 0 : line + 1;
  return std::string(text.substr(start, 16 * 1024));
}

}  // namespace fibpool::testing
