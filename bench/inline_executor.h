// The benchmark baseline's executor: computes each job at once, on the event
// loop's thread, with the worker's own code (worker::RunJob) and no IPC at
// all: what the machine does without a pool. A big job stalls the whole loop
// while it computes; that is the point of comparing against it.
//
// Keeps the JobExecutor contract: the callback is posted to the io_context
// (never called from inside Submit), once, unless the job was Abandon()ed
// before it ran. Results always travel inline (no result buffers).
//
// Threading: the io_context's single thread. Never throws out of Submit
// (RunJob turns every failure into an error result).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>

#include <boost/asio/io_context.hpp>

#include "supervisor/job_executor.h"

namespace fibpool::bench {

class InlineExecutor : public supervisor::JobExecutor {
 public:
  InlineExecutor(boost::asio::io_context& io, std::uint64_t max_fast_n);

  std::uint64_t Submit(const supervisor::JobSpec& spec, const std::string& flow,
                       supervisor::JobCallback callback) override;
  void Abandon(std::uint64_t job_id) override;

  std::uint64_t jobs_done() const { return jobs_done_; }

 private:
  boost::asio::io_context& io_;
  std::uint64_t max_fast_n_;
  std::uint64_t next_id_ = 1;
  std::uint64_t jobs_done_ = 0;
  std::unordered_set<std::uint64_t> pending_;  // computed, callback not yet run
};

}  // namespace fibpool::bench
