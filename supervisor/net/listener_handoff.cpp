#include "supervisor/net/listener_handoff.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <string_view>

#include "os/unique_fd.h"
#include "supervisor/net/inherited_sockets.h"

extern char** environ;

namespace fibpool::supervisor {

namespace {

constexpr std::string_view kListenPidPrefix = "LISTEN_PID=";

bool IsHandoffVariable(std::string_view entry) {
  for (std::string_view name : {std::string_view("LISTEN_PID="), std::string_view("LISTEN_FDS="),
                                std::string_view("LISTEN_FDNAMES="),
                                std::string_view("FIBPOOL_READY_FD=")}) {
    if (entry.starts_with(name)) return true;
  }
  return false;
}

// "LISTEN_PID=<pid>" into `out`, NUL-terminated; async-signal-safe.
void WriteListenPid(std::array<char, 32>& out, pid_t pid) {
  std::size_t at = 0;
  for (char c : kListenPidPrefix) out[at++] = c;
  char digits[16];
  std::size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + pid % 10);
    pid /= 10;
  } while (pid > 0);
  while (n > 0) out[at++] = digits[--n];
  out[at] = '\0';
}

}  // namespace

std::vector<std::string> HandoffEnvironment(const std::vector<std::string>& base,
                                            const std::vector<HandedListener>& listeners,
                                            bool ready_fd) {
  std::vector<std::string> env;
  for (const std::string& entry : base) {
    if (!IsHandoffVariable(entry)) env.push_back(entry);
  }
  std::string names;
  for (const HandedListener& l : listeners) names += (names.empty() ? "" : ":") + l.name;
  env.push_back("LISTEN_FDS=" + std::to_string(listeners.size()));
  env.push_back("LISTEN_FDNAMES=" + names);
  if (ready_fd) {
    env.push_back(std::string(kReadyFdVariable) + "=" +
                  std::to_string(kListenFdsStart + static_cast<int>(listeners.size())));
  }
  return env;
}

std::vector<std::string> CurrentEnvironmentEntries() {
  std::vector<std::string> entries;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) entries.emplace_back(*e);
  return entries;
}

os::Result<pid_t> SpawnWithListeners(const HandoffSpec& spec) {
  // Everything the child needs is made here, before fork: after it, only
  // async-signal-safe calls.
  std::vector<int> sources;
  for (const HandedListener& l : spec.listeners) sources.push_back(l.fd);
  if (spec.ready_fd >= 0) sources.push_back(spec.ready_fd);
  const int first_free = kListenFdsStart + static_cast<int>(sources.size());
  // Copies above every target descriptor, so that placing one never
  // overwrites another; close-on-exec, so the child keeps only the targets.
  std::vector<os::UniqueFd> copies;
  for (int fd : sources) {
    os::UniqueFd copy(::fcntl(fd, F_DUPFD_CLOEXEC, first_free));
    if (!copy.valid()) return os::ErrnoError();
    copies.push_back(std::move(copy));
  }
  const std::vector<std::string> env_entries = HandoffEnvironment(
      CurrentEnvironmentEntries(), spec.listeners, spec.ready_fd >= 0);
  std::array<char, 32> listen_pid{};
  std::vector<char*> envp;
  for (const std::string& e : env_entries) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(listen_pid.data());
  envp.push_back(nullptr);
  std::vector<char*> argv;
  for (const std::string& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const std::string program = spec.program.string();

  const pid_t pid = ::fork();
  if (pid < 0) return os::ErrnoError();
  if (pid == 0) {
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (spec.new_session) ::setsid();
    for (std::size_t i = 0; i < copies.size(); ++i) {
      // dup2 clears close-on-exec on the target.
      if (::dup2(copies[i].get(), kListenFdsStart + static_cast<int>(i)) < 0) ::_exit(127);
    }
    ::close_range(static_cast<unsigned>(first_free), ~0U, CLOSE_RANGE_CLOEXEC);
    WriteListenPid(listen_pid, ::getpid());
    ::execve(program.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace fibpool::supervisor
