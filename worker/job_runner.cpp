#include "worker/job_runner.h"

#include <unistd.h>

#include <cstdio>
#include <new>
#include <utility>

#include "ipc/segment_names.h"
#include "worker/fibonacci.h"

namespace fibpool::worker {

namespace {

ipc::ResultMessage Message(std::uint64_t id, ipc::ResultStatus status, std::string text) {
  ipc::ResultMessage m;
  m.job_id = id;
  m.status = status;
  m.text = std::move(text);
  return m;
}

// `needed` and `limit` in MiB, with as many decimals (0 to 3) as it takes
// for the two texts to differ: "8.4" and "8.0", not "8" and "8".
std::pair<std::string, std::string> MiBTexts(std::uint64_t needed, std::uint64_t limit) {
  constexpr double kMiB = 1024.0 * 1024.0;
  const auto text = [](std::uint64_t bytes, int decimals) {
    char out[32];
    std::snprintf(out, sizeof out, "%.*f", decimals, static_cast<double>(bytes) / kMiB);
    return std::string(out);
  };
  int decimals = 0;
  while (decimals < 3 && text(needed, decimals) == text(limit, decimals)) ++decimals;
  return {text(needed, decimals), text(limit, decimals)};
}

JobOutcome RunFast(const ipc::Job& job, const RunnerLimits& limits, pid_t supervisor) {
  if (limits.max_memory_bytes > 0 && EstimatedFastMemoryBytes(job.n) > limits.max_memory_bytes) {
    const auto [needed, limit] = MiBTexts(EstimatedFastMemoryBytes(job.n), limits.max_memory_bytes);
    return JobOutcome{Message(job.id, ipc::ResultStatus::kOutOfRange,
                              "F(" + std::to_string(job.n) + ") needs about " + needed +
                                  " MiB, above max_worker_memory (" + limit + " MiB)"),
                      {}};
  }
  JobOutcome out;
  out.message.job_id = job.id;
  BigFibonacci fib(job.n);
  const std::size_t size = fib.DecimalBufferSize();
  if (size <= limits.inline_limit || !job.may_use_buffer) {
    out.message.text = fib.ToDecimal();
    return out;
  }
  auto buffer =
      os::SharedSegment::Create(ipc::ResultSegmentName(supervisor, job.id, ::getpid()), size);
  if (!buffer) {  // /dev/shm is full after all: the digits take the pipe
    out.message.text = fib.ToDecimal();
    return out;
  }
  const std::string& buffer_name = buffer->name();
  out.message.buffer_name = buffer_name;
  out.message.buffer_length = fib.WriteDecimal(static_cast<char*>(buffer->data()));
  out.buffer = std::move(*buffer);
  return out;
}

}  // namespace

std::uint64_t EstimatedFastMemoryBytes(std::uint64_t n) {
  // F(n) has 0.694 n bits; GMP holds a few operands of that size at once,
  // and the decimal conversion about two more plus 0.209 n digit bytes.
  const double bits = 0.6942419 * static_cast<double>(n);
  return static_cast<std::uint64_t>(6.0 * bits / 8.0 + 0.21 * static_cast<double>(n)) + (8u << 20);
}

JobOutcome RunJob(const ipc::Job& job, const RunnerLimits& limits, pid_t supervisor) {
  try {
    switch (job.algorithm) {
      case ipc::Algorithm::kRecursive:
        if (job.n > kMaxRecursiveN) break;
        return JobOutcome{
            Message(job.id, ipc::ResultStatus::kOk, std::to_string(FibRecursive(job.n))), {}};
      case ipc::Algorithm::kFast:
        if (job.n > limits.max_fast_n) break;
        return RunFast(job, limits, supervisor);
      default:
        return JobOutcome{Message(job.id, ipc::ResultStatus::kFailed, "unknown algorithm"), {}};
    }
    const std::uint64_t limit =
        job.algorithm == ipc::Algorithm::kRecursive ? kMaxRecursiveN : limits.max_fast_n;
    return JobOutcome{
        Message(job.id, ipc::ResultStatus::kOutOfRange, "n above " + std::to_string(limit)), {}};
  } catch (const std::bad_alloc&) {
    return JobOutcome{Message(job.id, ipc::ResultStatus::kFailed, "out of memory"), {}};
  } catch (const std::exception& e) {
    return JobOutcome{Message(job.id, ipc::ResultStatus::kFailed, e.what()), {}};
  }
}

}  // namespace fibpool::worker
