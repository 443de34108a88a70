// One worker child process as the supervisor sees it: the process (Boost.Process
// v2, reaped through a pidfd), and the read end of its result pipe, watched by
// the supervisor's event loop.
//
// Launch policy: the child gets fd 3 = the pipe's write end, stdin and stdout
// = /dev/null, stderr = the supervisor's; every other descriptor is closed
// before exec, so a worker never holds a client socket or the listener. The
// child asks for SIGKILL when the supervisor dies (PR_SET_PDEATHSIG).
//
// Lifetime: owned through shared_ptr by the pool; pending handlers keep it
// alive. Events are delivered on the io_context's thread. The destructor
// kills and reaps a child that is still running. on_exit is called exactly
// once, after every frame the worker sent has been delivered.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <type_traits>

// Boost.Process v2 of Boost 1.81 uses these without including them.
#include <boost/optional.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/process/v2/process.hpp>

#include "ipc/frame.h"
#include "ipc/messages.h"
#include "os/posix_error.h"
#include "supervisor/pool/worker_exit.h"

namespace fibpool::supervisor {

class WorkerProcess : public std::enable_shared_from_this<WorkerProcess> {
 public:
  struct Events {
    std::function<void(const ipc::ReadyMessage&)> on_ready;
    std::function<void(ipc::ResultMessage&&)> on_result;
    // The worker broke the pipe protocol (ipc::IpcError::kCorruptFrame); it
    // is killed, on_exit follows.
    std::function<void(boost::system::error_code)> on_protocol_error;
    // How the process ended: its exit status or its terminating signal.
    std::function<void(ExitStatus status)> on_exit;
  };

  // Starts the child. A result whose digits come through the pipe in
  // ResultPart frames is handed to on_result whole, its parts joined; parts
  // adding up to more than `max_result_bytes` break the protocol. Failure
  // behaviour: the error of pipe2, fork or exec (os/posix_error.h); nothing
  // is left behind. Never throws.
  static os::Result<std::shared_ptr<WorkerProcess>> Spawn(boost::asio::io_context& io,
                                                          const std::filesystem::path& executable,
                                                          const std::vector<std::string>& args,
                                                          Events events,
                                                          std::uint64_t max_result_bytes);
  ~WorkerProcess();

  pid_t pid() const { return pid_; }
  bool exited() const { return exited_; }
  // SIGKILL; on_exit follows.
  void Kill();
  // SIGSTOP / SIGCONT and the like, for tests and operators; no-op once exited.
  void Signal(int signo);

 private:
  WorkerProcess(boost::asio::io_context& io, Events events, std::uint64_t max_result_bytes);
  // Keeps a part of the result that follows; false past max_result_bytes_.
  bool AddPart(ipc::ResultPart&& part);
  void Read();
  void ReadNow();
  void OnBytes(std::size_t n);
  void WaitForExit();

  boost::asio::posix::stream_descriptor pipe_;
  std::unique_ptr<boost::process::v2::process> process_;
  Events events_;
  ipc::FrameDecoder decoder_;
  std::vector<char> buffer_;
  std::uint64_t max_result_bytes_;
  std::string parts_;            // the digits of ResultPart frames so far
  std::uint64_t parts_job_ = 0;  // the job they belong to
  pid_t pid_ = -1;
  bool exited_ = false;
};

}  // namespace fibpool::supervisor
