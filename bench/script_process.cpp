#include "bench/script_process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>

#include <boost/process/v2/posix/default_launcher.hpp>
#include <boost/process/v2/stdio.hpp>

#include "bench/clock.h"

namespace fibpool::bench {

namespace bp = boost::process::v2;

namespace {

// Runs in the child between fork and exec: its life tied to the bench's.
struct DieWithTheBench {
  pid_t bench;

  bp::error_code on_exec_setup(bp::posix::default_launcher&, const std::filesystem::path&,
                               const char* const*) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != bench) return bp::error_code(ESRCH, boost::system::system_category());
    return {};
  }
};

}  // namespace

ScriptProcess::ScriptProcess(const std::vector<std::string>& argv, Stdout out) {
  if (argv.empty()) throw std::invalid_argument("ScriptProcess: empty argv");
  if (::access(argv[0].c_str(), X_OK) != 0) {
    throw std::runtime_error(argv[0] + " is not an executable: " + std::strerror(errno));
  }
  os::UniqueFd write_end;
  if (const auto ec = os::MakePipe(&output_, &write_end)) {
    throw std::runtime_error("pipe: " + ec.message());
  }
  const os::UniqueFd null(::open("/dev/null", O_WRONLY | O_CLOEXEC));
  if (!null.valid()) throw std::runtime_error(std::string("/dev/null: ") + std::strerror(errno));
  bp::error_code ec;
  // The executor overload: the io_context one of Boost 1.81 drops `ec` and throws.
  bp::process process = bp::posix::default_launcher()(
      boost::asio::any_io_executor(io_.get_executor()), ec, argv[0],
      std::vector<std::string>(argv.begin() + 1, argv.end()),
      bp::process_stdio{nullptr, out == Stdout::kRead ? write_end.get() : null.get(),
                        write_end.get()},
      DieWithTheBench{::getpid()});
  if (ec) throw std::runtime_error(argv[0] + ": " + ec.message());
  process_ = std::make_unique<bp::process>(std::move(process));
  pid_ = process_->id();
}

ScriptProcess::~ScriptProcess() { Kill(); }

void ScriptProcess::Kill() {
  if (!process_) return;
  bp::error_code ec;
  process_->terminate(ec);
  process_->wait(ec);
  process_.reset();
  output_.Reset();
}

std::optional<std::string> ScriptProcess::ReadLine(std::int64_t deadline_ns) {
  for (;;) {
    if (const auto lf = buffer_.find('\n'); lf != std::string::npos) {
      std::string line = buffer_.substr(0, lf);
      buffer_.erase(0, lf + 1);
      return line;
    }
    if (eof_ || !output_.valid()) return std::nullopt;
    const std::int64_t left_ms = (deadline_ns - NowNanos() + 999'999) / 1'000'000;
    if (left_ms <= 0) return std::nullopt;
    pollfd p{output_.get(), POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(left_ms));
    if (r <= 0) continue;  // EINTR, or the deadline: checked above
    char chunk[4096];
    const ssize_t n = ::read(output_.get(), chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      eof_ = true;
      continue;  // a last line without its LF is dropped
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

}  // namespace fibpool::bench
