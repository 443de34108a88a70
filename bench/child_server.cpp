#include "bench/child_server.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "bench/clock.h"
#include "tests/support/exit_status.h"
#include "tests/support/ready_line.h"
#include "tests/support/wait.h"

namespace fibpool::bench {

namespace {

// Waits up to `timeout` for `pid` to exit; its status, or -1 if it still runs.
int WaitFor(pid_t pid, std::chrono::milliseconds timeout) {
  int code = -1;
  testing::WaitFor(
      [&] {
        int status = 0;
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) code = testing::ExitCodeOf(status);
        return r == pid || (r < 0 && errno != EINTR);
      },
      timeout);
  return code;
}

std::string Join(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) s += (s.empty() ? "" : " ") + a;
  return s;
}

}  // namespace

bool ParseReadyLine(const std::string& line, boost::asio::ip::tcp::endpoint* endpoint,
                    unsigned* workers) {
  const std::optional<testing::ReadyLine> ready = testing::ParseReadyLine(line);
  if (!ready) return false;
  boost::system::error_code ec;
  const auto ip = boost::asio::ip::make_address(ready->host, ec);
  if (ec) return false;
  *endpoint = boost::asio::ip::tcp::endpoint(ip, ready->port);
  *workers = ready->workers;
  return true;
}

ChildServer::ChildServer(ChildServer&& other) noexcept
    : argv_(std::move(other.argv_)),
      pid_(std::exchange(other.pid_, -1)),
      stdout_(std::move(other.stdout_)),
      endpoint_(other.endpoint_),
      workers_(other.workers_),
      ready_line_(std::move(other.ready_line_)) {}

ChildServer& ChildServer::operator=(ChildServer&& other) noexcept {
  if (this != &other) {
    Stop();
    argv_ = std::move(other.argv_);
    pid_ = std::exchange(other.pid_, -1);
    stdout_ = std::move(other.stdout_);
    endpoint_ = other.endpoint_;
    workers_ = other.workers_;
    ready_line_ = std::move(other.ready_line_);
  }
  return *this;
}

ChildServer::~ChildServer() { Stop(); }

ChildServer ChildServer::Start(const std::vector<std::string>& argv,
                               std::chrono::milliseconds timeout) {
  if (argv.empty()) throw std::invalid_argument("ChildServer: empty argv");
  if (::access(argv[0].c_str(), X_OK) != 0) {
    throw std::runtime_error(argv[0] + " is not an executable: " + std::strerror(errno));
  }
  os::UniqueFd read_end;
  os::UniqueFd write_end;
  if (const auto ec = os::MakePipe(&read_end, &write_end)) {
    throw std::runtime_error("pipe: " + ec.message());
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = ::getpid();

  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    // Child: async-signal-safe calls only until exec.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(126);
    if (::dup2(write_end.get(), STDOUT_FILENO) < 0) ::_exit(126);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  write_end.Reset();

  ChildServer child;
  child.argv_ = argv;
  child.pid_ = pid;
  child.stdout_ = std::move(read_end);

  // The ready line, with a deadline.
  std::string buffer;
  const std::int64_t deadline = NowNanos() + timeout.count() * 1'000'000;
  for (;;) {
    const auto lf = buffer.find('\n');
    if (lf != std::string::npos) {
      const std::string line = buffer.substr(0, lf);
      if (ParseReadyLine(line, &child.endpoint_, &child.workers_)) {
        child.ready_line_ = line;
        return child;
      }
      buffer.erase(0, lf + 1);  // some other output: keep looking
      continue;
    }
    const std::int64_t left_ms = (deadline - NowNanos()) / 1'000'000;
    if (left_ms <= 0) {
      throw std::runtime_error(Join(argv) + ": no ready line within " +
                               std::to_string(timeout.count()) + " ms");
    }
    pollfd p{child.stdout_.get(), POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(left_ms));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;
    char chunk[512];
    const ssize_t n = ::read(child.stdout_.get(), chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int status = WaitFor(pid, std::chrono::milliseconds(2000));
      child.pid_ = status >= 0 ? -1 : child.pid_;
      throw std::runtime_error(Join(argv) + ": exited before it was ready (status " +
                               std::to_string(status) + ")");
    }
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
}

int ChildServer::Stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = WaitFor(pid_, grace);
  if (status < 0) {
    ::kill(pid_, SIGKILL);
    status = WaitFor(pid_, std::chrono::seconds(5));
  }
  pid_ = -1;
  stdout_.Reset();
  return status;
}

void ChildServer::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  WaitFor(pid_, std::chrono::seconds(5));
  pid_ = -1;
  stdout_.Reset();
}

}  // namespace fibpool::bench
