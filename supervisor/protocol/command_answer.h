// The answer to a request line that asks for no job: ping, help, quit, an
// invalid line, an HTTP request sent to the line port (the request handler
// of Asio's HTTP server example, apart from the socket code). `stats` and
// jobs are answered by the connection, which reaches the pool for them.
//
// Pure: no I/O; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "supervisor/protocol/answer_error.h"
#include "supervisor/protocol/request_parser.h"

namespace fibpool::supervisor {

struct CommandAnswer {
  std::string line;                  // with its LF
  std::optional<AnswerError> error;  // an ERR line: its code, to count
  bool last = false;                 // the connection takes no more requests after it
};

// For a request of kind kPing, kHelp, kQuit, kInvalid or kHttp; `metrics_port`
// (-1: none) is named to an HTTP client.
CommandAnswer AnswerCommand(const Request& request, int metrics_port);

}  // namespace fibpool::supervisor
