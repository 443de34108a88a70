// Messages a worker sends the supervisor on its pipe, each the cereal-encoded
// body of one frame (frame.h). Format: doc/shared_memory.md.
#pragma once

#include <cstdint>
#include <string>

#include <cereal/types/string.hpp>

namespace fibpool::ipc {

// How a worker process ends, as its exit status tells the supervisor.
enum WorkerExit : int {
  kExitSentinel = 0,       // took a sentinel
  kExitPipeBroken = 1,     // the supervisor stopped reading
  kExitAttachFailed = 2,   // could not attach to the queue
  kExitOrphaned = 3,       // the supervisor is gone
  kExitRecycle = 10,       // reached max_jobs_per_worker or max_worker_memory
};

enum class FrameType : std::uint32_t {
  kReady = 1,   // body: ReadyMessage; once, after the worker attached to the queue
  kResult = 2,  // body: ResultMessage; once per compute job taken
};

struct ReadyMessage {
  std::int32_t pid = 0;
  std::uint32_t cell = 0;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(pid, cell);
  }
};

enum class ResultStatus : std::uint8_t {
  kOk = 1,          // payload: the decimal digits, inline or in a result buffer
  kOutOfRange = 2,  // detail: the limit; the supervisor normally catches this first
  kFailed = 3,      // detail: what went wrong (allocation, result buffer, ...)
};

struct ResultMessage {
  std::uint64_t job_id = 0;
  ResultStatus status = ResultStatus::kOk;
  // kOk: the digits when they travel inline; otherwise the error detail.
  std::string text;
  // kOk with the digits in a shared-memory result buffer: its name and the
  // number of digit bytes in it. The receiver owns (and unlinks) the buffer.
  std::string buffer_name;
  std::uint64_t buffer_length = 0;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(job_id, status, text, buffer_name, buffer_length);
  }
};

}  // namespace fibpool::ipc
