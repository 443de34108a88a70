#include "supervisor/admin/serving_state.h"

namespace fibpool::supervisor {

bool CanServe(const ServingState& state) { return !state.draining && state.ready_workers > 0; }

}  // namespace fibpool::supervisor
