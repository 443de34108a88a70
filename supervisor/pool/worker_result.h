// A worker's ResultMessage as the answer a connection gets (JobResult): the
// digits inline or in the result buffer it names (taken over here), or the
// error its status means.
//
// The buffer name is the worker's word, and a faulty worker's may name any
// segment: only ipc::ResultSegmentName(supervisor, the message's job,
// worker) is taken. Any other is refused without being opened or unlinked,
// and logged (event=result_buffer_refused with the worker's pid, the job and
// the name).
//
// Failure behaviour: a result buffer that cannot be taken (the error of
// ipc::TakeResultBuffer) becomes AnswerError::kInternal with "result buffer
// lost: " and that error's message. Never throws.
#pragma once

#include <sys/types.h>

#include "ipc/messages.h"
#include "supervisor/job_executor.h"

namespace fibpool::supervisor {

// `message` as sent by worker `worker` of supervisor `supervisor`.
JobResult ResultOf(ipc::ResultMessage&& message, pid_t supervisor, pid_t worker);

}  // namespace fibpool::supervisor
