#include "supervisor/upgrade.h"

#include <sys/wait.h>

#include <csignal>

#include <spdlog/spdlog.h>

#include "os/unique_fd.h"
#include "supervisor/pool/worker_exit.h"

namespace fibpool::supervisor {

namespace asio = boost::asio;
using boost::system::error_code;

BinaryUpgrade::BinaryUpgrade(asio::io_context& io, std::filesystem::path program,
                             std::vector<std::string> argv)
    : pipe_(io), timer_(io), program_(std::move(program)), argv_(std::move(argv)) {}

BinaryUpgrade::~BinaryUpgrade() {
  // A new process that has not reported ready does not outlive this one.
  if (phase_ != Phase::kIdle && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

void BinaryUpgrade::Start(std::vector<HandedListener> listeners,
                          std::function<void(pid_t)> on_ready) {
  if (phase_ != Phase::kIdle) {
    spdlog::warn("event=upgrade_skipped why=\"an upgrade is under way (new pid {})\"", pid_);
    return;
  }
  os::UniqueFd read_end, write_end;
  if (const error_code ec = os::MakePipe(&read_end, &write_end)) {
    spdlog::error("event=upgrade_failed why=\"pipe: {}\"", ec.message());
    return;
  }
  HandoffSpec spec{program_, argv_, std::move(listeners), write_end.get(), true};
  const os::Result<pid_t> pid = SpawnWithListeners(spec);
  if (!pid) {
    spdlog::error("event=upgrade_failed program={} why=\"{}\"", program_.string(),
                  pid.error().message());
    return;
  }
  write_end.Reset();  // the new process holds the only write end: its exit is our EOF
  pid_ = *pid;
  phase_ = Phase::kWaiting;
  on_ready_ = std::move(on_ready);
  received_.clear();
  pipe_.assign(read_end.Release());
  spdlog::info("event=upgrade_started program={} new_pid={}", program_.string(), pid_);
  timer_.expires_after(kUpgradeReadyTimeout);
  timer_.async_wait([this](const error_code& ec) {
    if (!ec) OnTimeout();
  });
  Read();
}

void BinaryUpgrade::Read() {
  pipe_.async_read_some(asio::buffer(buffer_), [this](const error_code& ec, std::size_t n) {
    if (ec == asio::error::operation_aborted || phase_ == Phase::kIdle) return;
    if (ec) {
      Fail(phase_ == Phase::kStopping
               ? stop_reason_
               : "the new process ended before it was ready (see its log above)");
      return;
    }
    received_.append(buffer_.data(), n);
    if (received_.find('\n') != std::string::npos && phase_ == Phase::kWaiting) {
      OnLine();
      return;
    }
    if (received_.size() > buffer_.size()) {
      Fail("the new process wrote something other than its ready line");
      return;
    }
    Read();
  });
}

void BinaryUpgrade::OnLine() {
  if (!received_.starts_with("ready ")) {
    Fail("the new process wrote something other than its ready line");
    return;
  }
  const pid_t pid = pid_;
  spdlog::info("event=upgrade_ready new_pid={}", pid);
  auto on_ready = std::move(on_ready_);
  // Left to run: it outlives this process. It stays our child until we exit.
  Reset();
  on_ready(pid);
}

void BinaryUpgrade::OnTimeout() {
  if (phase_ == Phase::kWaiting) {
    stop_reason_ = "the new process did not report ready within " +
                   std::to_string(kUpgradeReadyTimeout.count()) + " s";
    phase_ = Phase::kStopping;
    ::kill(pid_, SIGTERM);
    timer_.expires_after(kUpgradeStopGrace);
    timer_.async_wait([this](const error_code& ec) {
      if (!ec) OnTimeout();
    });
  } else if (phase_ == Phase::kStopping) {
    Fail(stop_reason_);
  }
}

void BinaryUpgrade::Fail(const std::string& why) {
  // Its pipe is closed or it overstayed: kill whatever is left (nothing, in
  // the usual case), and reap it so that it leaves no zombie.
  ::kill(pid_, SIGKILL);
  int status = 0;
  std::string ending = "unknown";
  if (::waitpid(pid_, &status, 0) == pid_) {
    ending = ExitStatusText(WIFSIGNALED(status) ? ExitStatus{0, WTERMSIG(status)}
                                                : ExitStatus{WEXITSTATUS(status), 0});
  }
  spdlog::error("event=upgrade_failed program={} new_pid={} ended=\"{}\" why=\"{}\"",
                program_.string(), pid_, ending, why);
  Reset();
}

void BinaryUpgrade::Reset() {
  phase_ = Phase::kIdle;
  pid_ = -1;
  timer_.cancel();
  error_code ignored;
  pipe_.close(ignored);
  on_ready_ = nullptr;
}

}  // namespace fibpool::supervisor
