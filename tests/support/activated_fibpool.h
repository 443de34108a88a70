// Playing systemd in a test: a listening socket the test owns, and fibpool
// processes started on it by the socket activation protocol
// (supervisor/net/listener_handoff.h), each with its stdout and stderr in a log
// file of its own. Header-only.
//
// ListeningSocket owns its descriptor. ActivatedFibpool owns its process: the
// destructor kills (SIGKILL) and reaps it if the test did not stop it, so a
// failing test leaks no process (its workers die with it: parent-death
// signal); and removes the log. Not thread-safe.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "supervisor/net/listener_handoff.h"
#include "tests/support/exit_status.h"
#include "tests/support/server_process.h"
#include "tests/support/wait.h"

namespace fibpool::testing {

class ListeningSocket {
 public:
  // Listens on 127.0.0.1, port chosen by the kernel, with a backlog of 1024.
  ListeningSocket() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof addr;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd_, 1024) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &size) != 0) {
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    port_ = ntohs(addr.sin_port);
  }
  ~ListeningSocket() { ::close(fd_); }
  ListeningSocket(const ListeningSocket&) = delete;
  ListeningSocket& operator=(const ListeningSocket&) = delete;

  int fd() const { return fd_; }
  std::uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

class ActivatedFibpool {
 public:
  // Starts build/bin/fibpool with `args` on `listeners` (through /bin/sh,
  // which redirects its output and execs it: the pid is fibpool's).
  ActivatedFibpool(std::vector<supervisor::HandedListener> listeners,
                   const std::vector<std::string>& args) {
    char name[] = "/tmp/fibpool-activated-log.XXXXXX";
    const int fd = ::mkstemp(name);
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    ::close(fd);
    log_path_ = name;
    supervisor::HandoffSpec spec;
    spec.program = "/bin/sh";
    spec.argv = {"sh", "-c", "exec \"$0\" \"$@\" >>" + log_path_ + " 2>&1", BinDir() + "/fibpool"};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.listeners = std::move(listeners);
    spec.new_session = false;
    const auto pid = supervisor::SpawnWithListeners(spec);
    if (!pid) throw std::runtime_error("cannot start fibpool: " + pid.error().message());
    pid_ = *pid;
  }
  ~ActivatedFibpool() {
    if (!exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::unlink(log_path_.c_str());
  }
  ActivatedFibpool(const ActivatedFibpool&) = delete;
  ActivatedFibpool& operator=(const ActivatedFibpool&) = delete;

  pid_t pid() const { return pid_; }

  std::string Log() const {
    std::ifstream in(log_path_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // Whether its ready line ("fibpool listening on ...") is in the log within `timeout`.
  bool WaitReady(std::chrono::milliseconds timeout) const {
    return WaitFor([&] { return Log().find("fibpool listening on ") != std::string::npos; },
                   timeout);
  }

  // Its exit code (128 + signal when killed), or nothing within `timeout`.
  std::optional<int> WaitExit(std::chrono::milliseconds timeout) {
    int status = 0;
    const bool ended = WaitFor([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, timeout);
    if (!ended) return std::nullopt;
    exited_ = true;
    return ExitCodeOf(status);
  }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  std::string log_path_;
};

}  // namespace fibpool::testing
