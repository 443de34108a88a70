#include "supervisor/pool/worker_exit.h"

#include <cstring>

#include "ipc/messages.h"

namespace fibpool::supervisor {

std::string ExitStatusText(ExitStatus status) {
  if (status.signal == 0) return std::to_string(status.code);
  const char* abbrev = ::sigabbrev_np(status.signal);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(status.signal);
}

std::string_view ExitCauseName(ExitCause cause) {
  switch (cause) {
    case ExitCause::kCrash:
      return "crash";
    case ExitCause::kStop:
      return "stop";
    case ExitCause::kResize:
      return "resize";
    case ExitCause::kRecycle:
      return "recycle";
    case ExitCause::kOutOfMemory:
      return "out_of_memory";
    case ExitCause::kTimeout:
      return "timeout";
    case ExitCause::kCancel:
      return "cancel";
    case ExitCause::kStopGrace:
      return "stop_grace";
  }
  return "unknown";
}

ExitCause ClassifyExit(ExitStatus status, KillCause killed, bool stopping) {
  const bool exited = status.signal == 0;
  if (exited && status.code == ipc::kExitSentinel) {
    return stopping ? ExitCause::kStop : ExitCause::kResize;
  }
  if (exited && status.code == ipc::kExitRecycle) return ExitCause::kRecycle;
  if (exited && status.code == ipc::kExitOutOfMemory) return ExitCause::kOutOfMemory;
  switch (killed) {
    case KillCause::kTimeout:
      return ExitCause::kTimeout;
    case KillCause::kCancel:
      return ExitCause::kCancel;
    case KillCause::kStop:
      return ExitCause::kStopGrace;
    case KillCause::kNone:
      break;
  }
  return ExitCause::kCrash;
}

bool IsAbnormal(ExitCause cause) {
  switch (cause) {
    case ExitCause::kCrash:
    case ExitCause::kOutOfMemory:
    case ExitCause::kTimeout:
    case ExitCause::kStopGrace:
      return true;
    case ExitCause::kCancel:  // routine: the job's client left
    case ExitCause::kStop:
    case ExitCause::kResize:
    case ExitCause::kRecycle:
      return false;
  }
  return true;
}

}  // namespace fibpool::supervisor
