#include "supervisor/pool/worker_process.h"

#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <boost/asio/post.hpp>
#include <boost/process/v2/posix/default_launcher.hpp>
#include <boost/process/v2/stdio.hpp>

#include "ipc/codec.h"
#include "ipc/defaults.h"
#include "ipc/ipc_error.h"
#include "os/unique_fd.h"

namespace fibpool::supervisor {

namespace asio = boost::asio;
namespace bp = boost::process::v2;

namespace {

using ipc::kResultFd;
constexpr std::size_t kReadChunk = 64 * 1024;

// Runs in the child between fork and exec: marks every descriptor above the
// standard ones close-on-exec (Boost.Process 1.81's own close-all skips a
// range of them, which would leak the listener and client sockets into the
// worker), puts the pipe on fd 3 (clearing close-on-exec even when it is
// already fd 3), and ties the child's life to the supervisor's.
struct ChildSetup {
  int pipe_fd;

  bp::error_code on_exec_setup(bp::posix::default_launcher& launcher, const std::filesystem::path&,
                               const char* const*) {
    launcher.fd_whitelist.push_back(kResultFd);
    if (::close_range(kResultFd + 1, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
      return bp::error_code(errno, boost::system::system_category());
    }
    if (pipe_fd == kResultFd) {
      if (os::SetCloseOnExec(kResultFd, false))
        return bp::error_code(errno, boost::system::system_category());
    } else if (::dup2(pipe_fd, kResultFd) < 0) {
      return bp::error_code(errno, boost::system::system_category());
    }
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    return {};
  }
};

}  // namespace

WorkerProcess::WorkerProcess(asio::io_context& io, Events events, std::uint64_t max_result_bytes)
    : pipe_(io),
      events_(std::move(events)),
      buffer_(kReadChunk),
      max_result_bytes_(max_result_bytes) {}

os::Result<std::shared_ptr<WorkerProcess>> WorkerProcess::Spawn(
    asio::io_context& io, const std::filesystem::path& executable,
    const std::vector<std::string>& args, Events events, std::uint64_t max_result_bytes) {
  os::UniqueFd read_end, write_end;
  if (auto ec = os::MakePipe(&read_end, &write_end)) return ec;
  std::shared_ptr<WorkerProcess> worker(new WorkerProcess(io, std::move(events), max_result_bytes));
  bp::posix::default_launcher launcher;
  launcher.fd_whitelist.push_back(kResultFd);
  bp::error_code ec;
  // The executor overload: the io_context one of Boost 1.81 drops `ec` and throws.
  bp::process process =
      launcher(asio::any_io_executor(io.get_executor()), ec, executable, args,
               bp::process_stdio{nullptr, nullptr, {}}, ChildSetup{write_end.get()});
  if (ec) return ec;
  worker->process_ = std::make_unique<bp::process>(std::move(process));
  worker->pid_ = worker->process_->id();
  write_end.Reset();  // the child holds the only write end: its exit is our EOF
  worker->pipe_.assign(read_end.Release());
  worker->pipe_.non_blocking(true);  // ReadNow() must never block the event loop
  worker->Read();
  return worker;
}

WorkerProcess::~WorkerProcess() {
  if (process_ && !exited_) {
    ::kill(pid_, SIGKILL);
    bp::error_code ec;
    process_->wait(ec);
  }
}

void WorkerProcess::Kill() { Signal(SIGKILL); }

void WorkerProcess::Signal(int signo) {
  if (!exited_ && pid_ > 0) ::kill(pid_, signo);
}

void WorkerProcess::Read() {
  // Wait for the pipe to become readable, then read once: a read that did
  // not fill the buffer emptied the pipe, so there is no need for a second
  // read that would only say EAGAIN (async_read_some makes that attempt).
  pipe_.async_wait(asio::posix::stream_descriptor::wait_read,
                   [self = shared_from_this()](const bp::error_code& ec) {
                     if (ec) {
                       self->WaitForExit();
                       return;
                     }
                     self->ReadNow();
                   });
}

void WorkerProcess::ReadNow() {
  bp::error_code ec;
  const std::size_t n = pipe_.read_some(asio::buffer(buffer_), ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) {
    Read();
    return;
  }
  if (ec) {
    // EOF: the worker is gone (or going); its exit status follows.
    WaitForExit();
    return;
  }
  OnBytes(n);
}

void WorkerProcess::OnBytes(std::size_t n) {
  decoder_.Feed(std::string_view(buffer_.data(), n));
  ipc::FrameDecoder::Frame frame;
  for (;;) {
    const auto status = decoder_.Next(&frame);
    if (status == ipc::FrameDecoder::Status::kNeedMore) break;
    bool ok = status == ipc::FrameDecoder::Status::kFrame;
    if (ok && frame.type == ipc::FrameType::kReady) {
      auto msg = ipc::Decode<ipc::ReadyMessage>(frame.body);
      ok = msg.has_value();
      if (ok) events_.on_ready(*msg);
    } else if (ok && frame.type == ipc::FrameType::kResultPart) {
      auto part = ipc::Decode<ipc::ResultPart>(frame.body);
      ok = part.has_value() && AddPart(std::move(*part));
    } else if (ok && frame.type == ipc::FrameType::kResult) {
      auto msg = ipc::Decode<ipc::ResultMessage>(frame.body);
      ok = msg.has_value();
      if (ok && parts_job_ == msg->job_id) {
        parts_.append(msg->text);
        msg->text = std::move(parts_);
      }
      parts_.clear();
      parts_job_ = 0;
      if (ok) events_.on_result(std::move(*msg));
    }
    if (!ok) {
      events_.on_protocol_error(make_error_code(ipc::IpcError::kCorruptFrame));
      Kill();
      WaitForExit();
      return;
    }
  }
  if (n == buffer_.size()) {
    // The pipe may hold more (if it is larger than the buffer), and no new
    // readiness event would say so.
    asio::post(pipe_.get_executor(), [self = shared_from_this()] { self->ReadNow(); });
  } else {
    Read();
  }
}

bool WorkerProcess::AddPart(ipc::ResultPart&& part) {
  if (part.job_id != parts_job_) {
    parts_.clear();
    parts_job_ = part.job_id;
  }
  if (parts_.size() + part.text.size() > max_result_bytes_) return false;
  parts_.append(part.text);
  return true;
}

void WorkerProcess::WaitForExit() {
  pipe_.close();
  process_->async_wait([self = shared_from_this()](const bp::error_code&, int) {
    // evaluate_exit_code folds signals; ask for the raw status for the logs.
    const int native = self->process_->native_exit_code();
    ExitStatus status;
    if (WIFEXITED(native))
      status.code = WEXITSTATUS(native);
    else if (WIFSIGNALED(native))
      status.signal = WTERMSIG(native);
    self->exited_ = true;
    self->events_.on_exit(status);
  });
}

}  // namespace fibpool::supervisor
