#include "supervisor/protocol/command_answer.h"

namespace fibpool::supervisor {

namespace {
std::string HttpDetail(std::string_view detail, int metrics_port) {
  std::string out(detail);
  if (metrics_port >= 0) {
    out += "; /metrics and /healthz are served on port " + std::to_string(metrics_port);
  } else {
    out += "; start fibpool with --metrics-port for /metrics and /healthz";
  }
  return out;
}
}  // namespace

CommandAnswer AnswerCommand(const Request& request, int metrics_port) {
  switch (request.kind) {
    case Request::Kind::kPing:
      return {"pong\n", std::nullopt, false};
    case Request::Kind::kHelp:
      return {std::string(HelpText()) + "\n", std::nullopt, false};
    case Request::Kind::kQuit:
      return {"bye\n", std::nullopt, true};
    case Request::Kind::kHttp:
      // The rest of the HTTP request would be answered line by line with
      // ERR; one explanation, then the connection closes.
      return {ErrorLine(request.error, HttpDetail(request.detail, metrics_port)), request.error,
              true};
    case Request::Kind::kInvalid:
    default:
      return {ErrorLine(request.error, request.detail), request.error, false};
  }
}

}  // namespace fibpool::supervisor
