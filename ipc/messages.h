// Messages a worker sends the supervisor on its pipe, each the cereal-encoded
// body of one frame (frame.h). Format: docs/shared_memory.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <cereal/details/helpers.hpp>
#include <cereal/types/string.hpp>

namespace fibpool::ipc {

// How a worker process ends, as its exit status tells the supervisor.
enum WorkerExit : int {
  kExitSentinel = 0,      // took a sentinel
  kExitPipeBroken = 1,    // the supervisor stopped reading
  kExitAttachFailed = 2,  // could not attach to the queue
  kExitOrphaned = 3,      // the supervisor is gone
  kExitQueueBroken = 4,   // the queue's lock failed for good (robust_mutex.h)
  kExitRecycle = 10,      // reached max_jobs_per_worker or max_worker_memory
  kExitOutOfMemory = 11,  // GMP could not get memory; the job's answer was sent first
};

enum class FrameType : std::uint32_t {
  kReady = 1,   // body: ReadyMessage; once, after the worker attached to the queue
  kResult = 2,  // body: ResultMessage; once per compute job taken
  // body: ResultPart; the leading digits of the kResult that follows, when
  // they are too many for one frame
  kResultPart = 3,
};

struct ReadyMessage {
  std::int32_t pid = 0;
  std::uint32_t cell = 0;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(pid, cell);
  }
};

// No string in a message is longer than a frame body may be.
inline constexpr std::size_t kMaxMessageString = 1u << 20;

// A std::string whose encoded length is checked before anything is allocated:
// cereal's own string loader resizes to whatever length a (corrupt) frame
// claims. Same bytes on the wire as a plain std::string.
template <std::size_t Max>
struct BoundedString {
  std::string& value;

  template <class Archive>
  void save(Archive& ar) const {
    ar(value);
  }
  template <class Archive>
  void load(Archive& ar) {
    cereal::size_type size = 0;
    ar(cereal::make_size_tag(size));
    if (size > Max) throw cereal::Exception("string length over the limit");
    value.resize(static_cast<std::size_t>(size));
    ar(cereal::binary_data(value.data(), value.size()));
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
  // What the job cost, measured by the worker (getrusage): the CPU time (user
  // and system) it used, and the worker's peak resident size after it (the
  // process's high-water mark so far, not the job's alone). A run of cheap
  // jobs is measured as one and shared by estimate (worker/job_cost_share.h).
  std::uint64_t cpu_ns = 0;
  std::uint64_t peak_rss_bytes = 0;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(job_id, status, BoundedString<kMaxMessageString>{text},
       BoundedString<kMaxMessageString>{buffer_name}, buffer_length, cpu_ns, peak_rss_bytes);
  }
};

}  // namespace fibpool::ipc

namespace fibpool::ipc {

// Digits in one ResultPart frame (a frame body is at most 1 MiB).
inline constexpr std::size_t kResultPartBytes = 512 * 1024;

// A piece of a large result that travels through the pipe: the digits of
// the job's kResult frame are the concatenation of its parts' texts, in
// order, and its own text.
struct ResultPart {
  std::uint64_t job_id = 0;
  std::string text;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(job_id, BoundedString<kMaxMessageString>{text});
  }
};

}  // namespace fibpool::ipc
