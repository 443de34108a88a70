// A worker's ResultMessage as the answer a connection gets (JobResult): the
// digits inline or in the result buffer it names (taken over here), or the
// error its status means. Failure behaviour: a result buffer that cannot be
// taken (the error of ipc::TakeResultBuffer) becomes AnswerError::kInternal
// with "result buffer lost: " and that error's message. Never throws.
#pragma once

#include "ipc/messages.h"
#include "supervisor/job_executor.h"

namespace fibpool::supervisor {

JobResult ResultOf(ipc::ResultMessage&& message);

}  // namespace fibpool::supervisor
