#include "supervisor/protocol/request_boundary.h"

namespace fibpool::supervisor {

RequestBoundary::Action RequestBoundary::Decide(const Request& rest) const {
  if (mode_ == Mode::kLine || rest.kind == Request::Kind::kEmpty) return Action::kWaitForMore;
  if (mode_ == Mode::kReadPerRequest) return Action::kAnswerNow;
  // Undecided: only a complete request may end the first read.
  return rest.kind == Request::Kind::kInvalid ? Action::kWaitForMore : Action::kAnswerAfterPause;
}

}  // namespace fibpool::supervisor
