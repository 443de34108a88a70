#include "bench/inline_executor.h"

#include <unistd.h>

#include <limits>
#include <utility>

#include <boost/asio/post.hpp>

#include "worker/job_runner.h"

namespace fibpool::bench {

InlineExecutor::InlineExecutor(boost::asio::io_context& io, std::uint64_t max_fast_n)
    : io_(io), max_fast_n_(max_fast_n) {}

std::uint64_t InlineExecutor::Submit(const supervisor::JobSpec& spec, const std::string& /*flow*/,
                                     supervisor::JobCallback callback) {
  const std::uint64_t id = next_id_++;
  worker::RunnerLimits limits;
  limits.max_fast_n = max_fast_n_;
  limits.inline_limit = std::numeric_limits<std::size_t>::max();  // never a result buffer
  worker::JobOutcome outcome =
      worker::RunJob(ipc::Job{id, ipc::JobKind::kCompute, spec.algorithm, spec.n}, limits, ::getpid());
  ++jobs_done_;

  supervisor::JobResult result;
  switch (outcome.message.status) {
    case ipc::ResultStatus::kOk:
      break;
    case ipc::ResultStatus::kOutOfRange:
      result.error = supervisor::AnswerError::kOutOfRange;
      break;
    default:
      result.error = supervisor::AnswerError::kInternal;
      break;
  }
  result.payload.text = std::move(outcome.message.text);
  pending_.insert(id);
  boost::asio::post(
      io_, [this, id, callback = std::move(callback), result = std::move(result)]() mutable {
        if (pending_.erase(id) == 0) return;  // abandoned
        callback(std::move(result));
      });
  return id;
}

void InlineExecutor::Abandon(std::uint64_t job_id) { pending_.erase(job_id); }

}  // namespace fibpool::bench
