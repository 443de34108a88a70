// Whether the instance can serve a new client: the one answer that /healthz
// (200 or 503) and the agent check (`up` or `drain`/`down`, agent_answer.h)
// both give, so that they never disagree.
//
// Pure: no I/O, no state.
#pragma once

namespace fibpool::supervisor {

struct ServingState {
  bool draining = false;       // SIGTERM, SIGINT or SIGQUIT received
  unsigned ready_workers = 0;  // main-lane workers attached and ready for a job
};

// Not draining, and at least one main-lane worker ready.
bool CanServe(const ServingState& state);

}  // namespace fibpool::supervisor
