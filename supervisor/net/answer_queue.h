// The answers of one connection in request order (docs/protocol.md: one
// answer per request, in order). Every request read takes the next place at
// the back; a job's result fills its place whenever it comes; only the ready
// answers at the front leave, in the one write in flight. Counts the bytes
// held or expected, for the connection's flow control (connection.h). Pure:
// no I/O. Not thread-safe (the event loop's).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "supervisor/sched/answer_payload.h"

namespace fibpool::supervisor {

class AnswerQueue {
 public:
  struct Answer {
    bool ready = false;
    std::uint64_t job_id = 0;  // while a job computes it
    // The line (LF included), after the digits in payload.buffer if any;
    // released once written or dropped (answer_payload.h).
    AnswerPayload payload;
    std::uint64_t held_bytes = 0;  // counted in held_bytes(): estimate, then actual size
    // For the access log (access_log.h), when Note() picked the request.
    std::string request;
    std::chrono::steady_clock::time_point received{};  // the epoch: not in the access log
  };

  // A ready answer (a command's, an error) at the back.
  void PushReady(std::string text);
  // A place at the back for an answer of about `estimated_bytes` (counted
  // until Fill). Returns its sequence number.
  std::uint64_t Expect(std::uint64_t estimated_bytes);
  // The job computing place `seq`'s answer (Clear returns it).
  void SetJob(std::uint64_t seq, std::uint64_t job_id);
  // The sequence number the next place will have.
  std::uint64_t next_seq() const { return first_seq_ + answers_.size(); }
  // Place `seq` (not yet taken for a write) goes to the access log: its
  // request line and when it was read.
  void Note(std::uint64_t seq, std::string_view request,
            std::chrono::steady_clock::time_point received);
  // Whether place `seq` waits for its answer.
  bool Waits(std::uint64_t seq) const;
  // Fills place `seq` (Waits(seq) must hold) with `payload`.
  void Fill(std::uint64_t seq, AnswerPayload payload);

  // Moves up to `max` ready answers from the front into writing(); returns
  // how many writing() holds. Call only when no write is in flight.
  std::size_t TakeReady(std::size_t max);
  const std::vector<Answer>& writing() const { return writing_; }
  // The write of writing() is over (sent or failed): frees its bytes.
  void Written();

  // Answers not yet taken for a write (unanswered or unwritten).
  std::size_t size() const { return answers_.size(); }
  bool empty() const { return answers_.empty(); }
  // Bytes of every answer held or expected, the write in flight included.
  std::uint64_t held_bytes() const { return held_bytes_; }
  // Drops every answer not yet taken; returns the jobs still computing them.
  std::vector<std::uint64_t> Clear();

 private:
  Answer* Find(std::uint64_t seq);

  std::deque<Answer> answers_;    // unanswered or unwritten, in request order
  std::uint64_t first_seq_ = 0;   // sequence number of answers_.front()
  std::vector<Answer> writing_;   // the answers in the write in flight
  std::uint64_t held_bytes_ = 0;  // answers held or expected, in bytes
};

}  // namespace fibpool::supervisor
