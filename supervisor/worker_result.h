// A worker's ResultMessage as the answer a connection gets (JobResult): the
// digits inline or in the result buffer it names (taken over here), or the
// error its status means. A result buffer that cannot be taken becomes
// ErrorCode::kInternal. Never throws.
#pragma once

#include "ipc/messages.h"
#include "supervisor/job_executor.h"

namespace fibpool::supervisor {

JobResult ResultOf(ipc::ResultMessage&& message);

}  // namespace fibpool::supervisor
