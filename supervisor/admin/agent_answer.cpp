#include "supervisor/admin/agent_answer.h"

#include <algorithm>
#include <cmath>

namespace fibpool::supervisor {

unsigned AgentWeightPercent(std::uint64_t pending_cost_ns, unsigned ready_workers) {
  const double per_worker =
      static_cast<double>(pending_cost_ns) / static_cast<double>(std::max(ready_workers, 1u));
  const double half = static_cast<double>(kHalfWeightCostNs);
  const double weight = std::round(100.0 * half / (half + per_worker));
  return static_cast<unsigned>(std::clamp(weight, 1.0, 100.0));
}

std::string AgentAnswer(const AgentState& state) {
  if (state.serving.draining) return "drain\n";
  if (!CanServe(state.serving)) return "down #no worker available\n";
  return "up ready " +
         std::to_string(AgentWeightPercent(state.pending_cost_ns, state.serving.ready_workers)) +
         "%\n";
}

}  // namespace fibpool::supervisor
