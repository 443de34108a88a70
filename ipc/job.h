// A job as it travels from the supervisor to a worker through the shared job
// queue, and the algorithms a job can ask for. Jobs are pure functions of
// (algorithm, n): running one twice gives the same answer, which is what makes
// a retry after a worker's death safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace fibpool::ipc {

enum class Algorithm : std::uint8_t { kFast = 1, kRecursive = 2 };

// Algorithms as array indices: 0 fast, 1 recursive.
inline constexpr std::size_t kAlgorithmCount = 2;
constexpr std::size_t AlgorithmIndex(Algorithm algorithm) {
  return static_cast<std::size_t>(algorithm) - 1;
}

enum class JobKind : std::uint8_t {
  kCompute = 1,
  // Producer-consumer sentinel: the worker that takes it exits cleanly.
  kSentinel = 2,
};

struct Job {
  std::uint64_t id = 0;  // unique per supervisor instance, never 0 for kCompute
  JobKind kind = JobKind::kCompute;
  Algorithm algorithm = Algorithm::kFast;
  std::uint64_t n = 0;
  // The supervisor's estimate of the time it takes (nanoseconds): how a
  // worker decides how many queued jobs to take at once (JobQueue::PopBatch).
  std::uint64_t cost_ns = 0;
  // Whether the worker may put a large result in a result buffer in
  // /dev/shm; otherwise its digits come through the pipe (the supervisor's
  // shared-memory budget did not grant a buffer: supervisor/sched/result_budget.h).
  bool may_use_buffer = true;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(id, kind, algorithm, n, cost_ns, may_use_buffer);
  }

  static Job Sentinel() { return Job{0, JobKind::kSentinel, Algorithm::kFast, 0, 0, false}; }
  bool operator==(const Job&) const = default;
};

// "fast" / "recursive", case-sensitive lower case (callers fold case first).
std::optional<Algorithm> ParseAlgorithm(std::string_view name);
std::string_view AlgorithmName(Algorithm algorithm);

}  // namespace fibpool::ipc
