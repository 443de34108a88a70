#include "supervisor/net/inherited_sockets.h"

#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace fibpool::supervisor {

namespace {

// A whole decimal number, or nothing.
template <class T>
std::optional<T> Number(std::string_view text) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  for (;;) {
    const auto at = text.find(separator);
    parts.emplace_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

// getenv, then unsetenv: the value outlives the variable.
std::optional<std::string> TakeVariable(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  std::string copy = value;
  ::unsetenv(name);
  return copy;
}

const char* CStr(const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; }

}  // namespace

std::vector<ListenerRole> AssignListenerRoles(std::size_t count,
                                              const std::vector<std::string>& names) {
  std::vector<ListenerRole> roles(count, ListenerRole::kUnused);
  bool line = false, metrics = false, agent = false;
  auto pick = [](bool* taken, ListenerRole role) {
    if (*taken) return ListenerRole::kUnused;
    *taken = true;
    return role;
  };
  for (std::size_t i = 0; i < count; ++i) {
    const std::string_view name = i < names.size() ? std::string_view(names[i]) : "";
    if (name == kMetricsSocketName) {
      roles[i] = pick(&metrics, ListenerRole::kMetrics);
    } else if (name == kAgentSocketName) {
      roles[i] = pick(&agent, ListenerRole::kAgent);
    }
  }
  // The line protocol: the descriptor named `line`, or else the first other one.
  for (std::size_t i = 0; i < count && !line; ++i) {
    if (i < names.size() && names[i] == kLineSocketName) roles[i] = pick(&line, ListenerRole::kLine);
  }
  for (std::size_t i = 0; i < count && !line; ++i) {
    const std::string_view name = i < names.size() ? std::string_view(names[i]) : "";
    if (name != kMetricsSocketName && name != kAgentSocketName) {
      roles[i] = pick(&line, ListenerRole::kLine);
    }
  }
  return roles;
}

os::Result<ListenFds> ParseListenFds(pid_t self, const char* listen_pid, const char* listen_fds,
                                     const char* listen_fdnames) {
  ListenFds result;
  if (listen_pid == nullptr) return result;
  const auto pid = Number<pid_t>(listen_pid);
  if (!pid || *pid <= 0) return os::PosixError(EINVAL);
  if (*pid != self) return result;
  const auto count = Number<std::size_t>(listen_fds ? listen_fds : "");
  if (!count || *count > 1024) return os::PosixError(EINVAL);
  result.count = *count;
  if (listen_fdnames != nullptr && *listen_fdnames != '\0') {
    result.names = Split(listen_fdnames, ':');
    if (result.names.size() != result.count) return os::PosixError(EINVAL);
  }
  return result;
}

InheritedSockets InheritedSockets::FromEnvironment() {
  const auto pid = TakeVariable("LISTEN_PID");
  const auto fds = TakeVariable("LISTEN_FDS");
  const auto names = TakeVariable("LISTEN_FDNAMES");
  const auto ready = TakeVariable(kReadyFdVariable);
  const auto parsed = ParseListenFds(::getpid(), CStr(pid), CStr(fds), CStr(names));
  if (!parsed) {
    throw std::runtime_error("malformed socket activation variables: LISTEN_PID=" +
                             pid.value_or("") + " LISTEN_FDS=" + fds.value_or("") +
                             " LISTEN_FDNAMES=" + names.value_or(""));
  }
  InheritedSockets sockets;
  const std::vector<ListenerRole> roles = AssignListenerRoles(parsed->count, parsed->names);
  for (std::size_t i = 0; i < roles.size(); ++i) {
    const int fd = kListenFdsStart + static_cast<int>(i);
    if (::fcntl(fd, F_GETFD) < 0) {
      throw std::runtime_error("LISTEN_FDS=" + std::to_string(parsed->count) + " but descriptor " +
                               std::to_string(fd) + " is not open");
    }
    os::SetCloseOnExec(fd, true);
    os::UniqueFd owned(fd);
    switch (roles[i]) {
      case ListenerRole::kLine: sockets.line_ = std::move(owned); break;
      case ListenerRole::kMetrics: sockets.metrics_ = std::move(owned); break;
      case ListenerRole::kAgent: sockets.agent_ = std::move(owned); break;
      case ListenerRole::kUnused:
        sockets.unused_.push_back(i < parsed->names.size() ? parsed->names[i]
                                                           : "fd " + std::to_string(fd));
        break;
    }
  }
  if (ready && parsed->count > 0) {
    const auto fd = Number<int>(*ready);
    if (fd && *fd > 2 && ::fcntl(*fd, F_GETFD) >= 0) {
      os::SetCloseOnExec(*fd, true);
      sockets.ready_fd_ = os::UniqueFd(*fd);
    }
  }
  return sockets;
}

os::UniqueFd InheritedSockets::Take(ListenerRole role) {
  switch (role) {
    case ListenerRole::kLine: return std::move(line_);
    case ListenerRole::kMetrics: return std::move(metrics_);
    case ListenerRole::kAgent: return std::move(agent_);
    case ListenerRole::kUnused: break;
  }
  return {};
}

boost::system::error_code ReportReady(os::UniqueFd ready_fd) {
  if (!ready_fd.valid()) return {};
  const std::string line = "ready " + std::to_string(::getpid()) + "\n";
  return os::WriteAll(ready_fd.get(), line.data(), line.size());
}

}  // namespace fibpool::supervisor
