#include "supervisor/net/request_handler.h"

#include <chrono>
#include <utility>

#include "supervisor/net/connection_log.h"
#include "supervisor/protocol/command_answer.h"
#include "supervisor/protocol/request_parser.h"
#include "supervisor/sched/cost_model.h"

namespace fibpool::supervisor {

RequestHandler::RequestHandler(const ConnectionEnv& env, AnswerQueue& answers, std::string flow,
                               Binder bind)
    : env_(env), answers_(answers), flow_(std::move(flow)), bind_(std::move(bind)) {}

RequestHandler::Next RequestHandler::Handle(std::string_view line) {
  if (!env_.log->access().on()) return HandleRequest(line);
  const auto [seq, received] = std::pair(answers_.next_seq(), std::chrono::steady_clock::now());
  const Next next = HandleRequest(line);
  if (answers_.next_seq() != seq && env_.log->access().Sample()) answers_.Note(seq, line, received);
  return next;
}

RequestHandler::Next RequestHandler::HandleRequest(std::string_view line) {
  const Request request = ParseRequest(line, env_.limits);
  if (request.kind == Request::Kind::kEmpty) return Next::kRead;
  ++env_.metrics->requests;
  if (request.kind == Request::Kind::kStats) {
    if (!env_.stats_executor) {
      answers_.PushReady(env_.stats() + "\n");
      return Next::kRead;
    }
    stats_seq_ = answers_.Expect(0);
    return Next::kAskStats;
  }
  if (request.kind != Request::Kind::kCompute) {
    CommandAnswer answer = AnswerCommand(request, env_.metrics_port);
    if (answer.error) {
      env_.metrics->CountError(*answer.error);
      env_.log->Error(*answer.error, flow_, request.detail);
    }
    answers_.PushReady(std::move(answer.line));
    return answer.last ? Next::kStop : Next::kRead;
  }
  const JobSpec spec = MakeJobSpec(request.algorithm, request.n);
  const std::uint64_t seq = answers_.Expect(spec.answer_bytes);
  answers_.SetJob(seq, env_.executor->Submit(spec, flow_, bind_(seq)));
  return Next::kRead;
}

bool RequestHandler::Complete(std::uint64_t seq, JobResult&& result) {
  if (!answers_.Waits(seq)) return false;
  if (result.error) {
    env_.metrics->CountError(*result.error);
    env_.log->Error(*result.error, flow_, result.payload.text);
    answers_.Fill(seq, AnswerPayload(ErrorLine(*result.error, result.payload.text)));
    return true;
  }
  ++env_.metrics->results;
  AnswerPayload& payload = result.payload;
  // The line's tail: the digits and LF, or the LF after the digits in the buffer.
  if (payload.buffer.empty()) {
    payload.text += '\n';
  } else {
    payload.text = "\n";
  }
  answers_.Fill(seq, std::move(payload));
  return true;
}

void RequestHandler::LineTooLong() {
  ++env_.metrics->requests;
  env_.metrics->CountError(AnswerError::kLineTooLong);
  answers_.PushReady(ErrorLine(AnswerError::kLineTooLong,
                               "line longer than " + std::to_string(env_.max_line) + " bytes"));
  env_.log->LineTooLong(flow_);
}

}  // namespace fibpool::supervisor
