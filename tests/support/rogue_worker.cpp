// fibpool-rogue-worker: a worker gone wrong, for the end-to-end tests
// (tests/e2e/rogue_worker_test.cpp), started with fibpool's --worker-path and
// the command line of ipc/worker_args.h. It attaches to its queue and answers
// jobs one at a time as fibpool-worker does (worker::RunJob), except
// F(kRogueN): that job's Result frame claims its digits are in a result buffer
// named after the worker's own job queue segment, as a faulty worker could.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "ipc/frame.h"
#include "ipc/job_queue.h"
#include "ipc/worker_args.h"
#include "os/shared_segment.h"
#include "tests/support/rogue_worker.h"
#include "worker/job_runner.h"
#include "worker/worker_loop.h"

namespace {

using namespace fibpool;

int Run(const ipc::WorkerArgs& args) {
  auto segment = os::SharedSegment::Open(args.segment, os::SharedSegment::Access::kReadWrite);
  if (!segment) return ipc::kExitAttachFailed;
  auto queue = ipc::JobQueue::Attach(segment->data(), segment->size());
  if (!queue) return ipc::kExitAttachFailed;
  queue->cell(args.cell).pid.store(::getpid());
  ipc::FrameWriter writer;
  writer.Append(ipc::FrameType::kReady, ipc::ReadyMessage{::getpid(), args.cell});
  if (writer.Flush(args.result_fd)) return ipc::kExitPipeBroken;
  const worker::RunnerLimits limits = worker::RunnerLimitsFrom(args);
  for (;;) {
    ipc::Job job;
    const auto took = queue->Pop(args.cell, std::chrono::nanoseconds(0),
                                 std::chrono::milliseconds(200), &job);
    if (!took) return ipc::kExitQueueBroken;
    if (*took == 0) {
      if (::getppid() != args.supervisor_pid) return ipc::kExitOrphaned;
      continue;
    }
    if (job.kind == ipc::JobKind::kSentinel) return ipc::kExitSentinel;
    queue->StartJob(args.cell, job.id);
    worker::JobOutcome outcome = worker::RunJob(job, limits, args.supervisor_pid);
    if (job.n == testing::kRogueN) {
      outcome.message.text.clear();
      outcome.message.buffer_name = args.segment;
      outcome.message.buffer_length = 1;
    }
    outcome.buffer.Disown();  // the supervisor removes it (or refuses it)
    outcome.buffer = os::SharedSegment();
    ipc::AppendResult(writer, outcome.message);
    if (writer.Flush(args.result_fd)) return ipc::kExitPipeBroken;
    queue->StartJob(args.cell, 0);
    queue->FinishBatch(args.cell);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = ipc::ParseWorkerArgs(std::vector<std::string>(argv + 1, argv + argc));
  if (!args) {
    std::cerr << "fibpool-rogue-worker: " << args.error().message() << "\n";
    return ipc::kExitAttachFailed;
  }
  return Run(*args);
}
