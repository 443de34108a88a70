// What fibpool answers HAProxy's agent check (agent_server.h): its state and
// the share of new connections it asks for, one line in the words HAProxy's
// agent-check accepts (HAProxy 2.6 configuration manual, "agent-check").
//
//   drain                      draining (SIGTERM/SIGINT/SIGQUIT): no new
//                              connections
//   down #no worker available  no main-lane worker is ready (starting, or
//                              replaced after crashes): the server is DOWN
//   up ready W%                serving (CanServe, serving_state.h, the same
//                              answer /healthz gives); W the weight, from the
//                              queued cost
//
// `up` undoes a `down` sent earlier, and `ready` a `drain`: HAProxy keeps a
// state an agent set until the agent itself reverts it, and a new fibpool
// may take over the address of one that drained (same container restarted).
// `ready` also cancels a drain or maintenance an operator set on HAProxy's
// runtime API for that server (the README says how to take one out).
//
// The weight: W = 100 * H / (H + C / R) for the estimated cost C of the jobs
// not yet answered (cost_model.h, scaled to this machine by
// cost_correction.h), R ready workers and H = kHalfWeightCostNs,
// rounded: 100 % when nothing is pending, 50 % at H per worker, 25 % at 3 H,
// never below 1 % (0 % would drain the server). HAProxy scales the server's
// configured `weight` by W.
//
// Pure: no I/O, no state.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "supervisor/admin/serving_state.h"

namespace fibpool::supervisor {

// Pending work per ready worker at which the weight is 50 %.
inline constexpr std::uint64_t kHalfWeightCostNs =
    std::chrono::nanoseconds(std::chrono::seconds(1)).count();

// The weight in percent, 1 to 100. `ready_workers` 0 counts as 1.
unsigned AgentWeightPercent(std::uint64_t pending_cost_ns, unsigned ready_workers);

struct AgentState {
  ServingState serving;
  std::uint64_t pending_cost_ns = 0;  // estimated cost of the jobs not yet answered
};

// The line, with its LF.
std::string AgentAnswer(const AgentState& state);

}  // namespace fibpool::supervisor
