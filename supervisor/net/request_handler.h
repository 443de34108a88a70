// Decides the answer to each request line of one connection, apart from its
// socket: a command's answer (command_answer.h) at once; a job's place in
// the answer queue, kept while the executor computes it, and filled with its
// result or its refusal when the callback brings it; `stats` left to the
// connection, which fetches the line from the thread that owns the figures.
// Counts requests, results and ERR answers (Metrics), logs the ERR answers
// worth logging (ConnectionLog), and picks requests for the access log.
//
// The job's specification (sched/job_spec.h) is made here, once, from the
// parsed request: its estimates go with it to the executor, and its answer
// size to the connection's flow control (AnswerQueue::Expect).
//
// Ownership: holds references to the connection's env and answer queue,
// which outlive it. Single-threaded: the connection's thread. Never throws
// on a client's input (a bad line is an ERR answer).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "supervisor/job_executor.h"
#include "supervisor/net/answer_queue.h"
#include "supervisor/net/connection_env.h"

namespace fibpool::supervisor {

class RequestHandler {
 public:
  // What the connection does after a line.
  enum class Next {
    kRead,      // read on
    kStop,      // take no more requests (the answer queued last was the last)
    kAskStats,  // fill place `stats_seq()` with the `stats` line, then read on
  };
  // The callback for the job of place `seq`: it reaches the connection (or
  // nothing, once the connection is gone) and calls Complete.
  using Binder = std::function<JobCallback(std::uint64_t seq)>;

  // `flow`: the client (flow_key.h), fixed for the connection's life.
  RequestHandler(const ConnectionEnv& env, AnswerQueue& answers, std::string flow, Binder bind);

  // Answers `line` (one request, without its LF) at the back of the queue.
  Next Handle(std::string_view line);
  // The place Handle reserved for the `stats` line (after kAskStats).
  std::uint64_t stats_seq() const { return stats_seq_; }
  // The job of place `seq` has answered. Returns false, dropping `result`
  // (a result buffer is unmapped before its room is released), when the
  // place no longer waits (the connection closed or abandoned it).
  bool Complete(std::uint64_t seq, JobResult&& result);
  // A line over max_line: ERR line_too_long; the connection takes no more.
  void LineTooLong();

  const std::string& flow() const { return flow_; }

 private:
  Next HandleRequest(std::string_view line);

  const ConnectionEnv& env_;
  AnswerQueue& answers_;
  std::string flow_;
  Binder bind_;
  std::uint64_t stats_seq_ = 0;
};

}  // namespace fibpool::supervisor
