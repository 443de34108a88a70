// How large results travel, decided against what /dev/shm can hold.
//
// A result of more than ipc::kInlineResultLimit digits normally goes into a
// result buffer in /dev/shm (ipc/result_buffer.h), which stays there until
// the answer is written to its client. /dev/shm is a tmpfs of fixed size
// (64 MB by default in a container), so the pool counts the bytes of result
// buffers it has allowed, from the job's dispatch until its answer is
// written or dropped, and hands a job that needs a buffer to a worker only
// when that buffer fits:
//
//   - in flight: buffers of jobs handed to workers whose result has not come
//     back (each counted at its upper bound, BufferBytes of
//     EstimatedAnswerBytes); a worker may not have written them yet, so they
//     are subtracted from what statvfs says is free;
//   - held: buffers the supervisor has mapped, waiting for a (slow) client;
//     statvfs already counts them as used.
//
// Route(): kBuffer when in-flight + the job's buffer + kShmHeadroomBytes fit
// in the free bytes of /dev/shm now. Otherwise the job waits, first in line
// for shared memory: jobs that need a buffer never pass it (no starvation),
// jobs that need none do. A job waits only while some of the pool's own
// results occupy /dev/shm, which their answers' writes will free; when none
// does and it still does not fit (/dev/shm smaller than the answer, or full
// of other processes' segments), its result comes through the worker's pipe
// instead (kPipe), one such result at a time, so that the supervisor's heap
// holds at most one of them. Either way the answer is right: /dev/shm never
// makes a job fail.
//
// Pure: no I/O (the caller passes statvfs's figure in). Not thread-safe: the
// supervisor's event loop.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

namespace fibpool::supervisor {

enum class ResultRoute : std::uint8_t {
  kInline,  // small: in the result frame, nothing counted
  kBuffer,  // in a result buffer in /dev/shm, counted
  kPipe,    // in result frames through the pipe, into the supervisor's heap
};

// Bytes of /dev/shm left free besides the budget's own: room for other users
// (glibc's named semaphores, other processes' segments) between a decision
// and the worker's allocation.
inline constexpr std::uint64_t kShmHeadroomBytes = 1u << 20;

class ResultBudget {
 public:
  // Bytes a result buffer for an answer of `answer_bytes` takes in /dev/shm
  // (whole pages), or 0 when the answer travels inline (at most
  // `inline_limit` bytes).
  static std::uint64_t BufferBytes(std::uint64_t answer_bytes, std::uint64_t inline_limit);

  // The route for a job needing `buffer_bytes` (> 0) when /dev/shm has
  // `shm_free` bytes free; std::nullopt: it waits. Does not count anything.
  std::optional<ResultRoute> Route(std::uint64_t buffer_bytes, std::uint64_t shm_free) const;

  // Counting, for the route Route() chose: a job's result is dispatched,
  // then its buffer arrives (kBuffer only), then it is released (its answer
  // written or dropped; also a job lost before its result came).
  void Dispatched(ResultRoute route, std::uint64_t bytes);
  void Arrived(ResultRoute route, std::uint64_t bytes);
  void Released(ResultRoute route, std::uint64_t bytes, bool arrived);

  // The line of jobs waiting for shared memory, first come first served.
  // Ids of jobs abandoned meanwhile stay until the caller pops them.
  void Wait(std::uint64_t job_id) {
    waiting_.push_back(job_id);
    ++waits_;
  }
  std::optional<std::uint64_t> FirstWaiting() const;
  void PopWaiting() { waiting_.pop_front(); }
  std::size_t waiting() const { return waiting_.size(); }

  std::uint64_t in_flight_bytes() const { return in_flight_; }
  std::uint64_t held_bytes() const { return held_; }
  std::uint64_t piped_bytes() const { return piped_; }
  // Since start: jobs that waited for shared memory; results routed kPipe.
  std::uint64_t waits() const { return waits_; }
  std::uint64_t pipes() const { return pipes_; }

 private:
  std::uint64_t in_flight_ = 0;
  std::uint64_t held_ = 0;
  std::uint64_t piped_ = 0;  // kPipe results dispatched and not yet released
  std::deque<std::uint64_t> waiting_;
  std::uint64_t waits_ = 0;
  std::uint64_t pipes_ = 0;
};

}  // namespace fibpool::supervisor
