#include "worker/worker_loop.h"

#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <cstdio>
#include <span>

#include <spdlog/spdlog.h>

#include "ipc/frame.h"
#include "ipc/ipc_error.h"
#include "ipc/job_queue.h"
#include "ipc/segment_names.h"
#include "os/scheduling.h"
#include "os/shared_segment.h"
#include "os/unique_fd.h"
#include "worker/gmp_memory.h"
#include "worker/job_cost_share.h"
#include "worker/run_meter.h"

namespace fibpool::worker {

namespace {

// How long one wait on the queue lasts before the worker checks on its parent.
constexpr std::chrono::milliseconds kParentCheck{200};

bool ParentGone(pid_t supervisor) { return ::getppid() != supervisor; }

std::uint64_t ResidentBytes() {
  long pages_total = 0, pages_resident = 0;
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  const int got = std::fscanf(f, "%ld %ld", &pages_total, &pages_resident);
  std::fclose(f);
  return got == 2 ? static_cast<std::uint64_t>(pages_resident) *
                        static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE))
                  : 0;
}

// What the GMP out-of-memory handler needs to answer the running job.
struct RunningJob {
  ipc::FrameWriter* writer = nullptr;
  int fd = -1;
  std::uint64_t id = 0;  // 0: none
};
RunningJob running;

[[noreturn]] void AnswerOutOfMemoryAndExit() {
  if (running.writer != nullptr && running.id != 0) {
    try {
      ipc::ResultMessage message;
      message.job_id = running.id;
      message.status = ipc::ResultStatus::kFailed;
      message.text = "out of memory";
      running.writer->Append(ipc::FrameType::kResult, message);
      static_cast<void>(running.writer->Flush(running.fd));
    } catch (...) {
      // Not even the reserve sufficed: the supervisor sees a crash instead.
    }
  }
  ::_exit(ipc::kExitOutOfMemory);
}

}  // namespace

RunnerLimits RunnerLimitsFrom(const ipc::WorkerArgs& args) {
  RunnerLimits limits;
  limits.max_fast_n = args.max_n;
  limits.inline_limit = args.inline_limit;
  limits.max_memory_bytes = args.max_memory_mb << 20;
  return limits;
}

int RunWorker(const ipc::WorkerArgs& options) {
  // Die with the supervisor, even if it is killed with SIGKILL.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (ParentGone(options.supervisor_pid)) return ipc::kExitOrphaned;
  std::signal(SIGPIPE, SIG_IGN);
  // The main lane: lower priority and the default slice, so that the
  // supervisor and the reserve lane win the CPU when they wake up. The
  // reserve lane: a short slice, like the supervisor's.
  if (const auto ec = os::SetScheduling(options.nice, options.slice)) {
    spdlog::debug("event=scheduling_refused nice={} why=\"{}\"", options.nice, ec.message());
  }

  auto segment = os::SharedSegment::Open(options.segment, os::SharedSegment::Access::kReadWrite);
  auto queue = segment ? ipc::JobQueue::Attach(segment->data(), segment->size())
                       : os::Result<ipc::JobQueue>(segment.error());
  if (!queue || options.cell >= queue->cells()) {
    spdlog::error("event=worker_attach_failed segment={} cell={} why=\"{}\"", options.segment,
                  options.cell, queue ? "cell out of range" : queue.error().message());
    return ipc::kExitAttachFailed;
  }
  queue->cell(options.cell).pid.store(::getpid());

  const int fd = options.result_fd;
  const RunnerLimits limits = RunnerLimitsFrom(options);
  const std::uint64_t max_rss_bytes = options.max_memory_mb << 20;
  ipc::FrameWriter writer;
  running = RunningJob{&writer, fd, 0};
  InstallGmpMemoryFunctions(AnswerOutOfMemoryAndExit);
  writer.Append(ipc::FrameType::kReady, ipc::ReadyMessage{::getpid(), options.cell});
  if (writer.Flush(fd)) return ipc::kExitPipeBroken;

  ipc::JobBatch batch;
  RunMeter meter;
  std::array<JobOutcome, ipc::kMaxBatch> outcomes;  // of the batch's jobs, by index
  for (std::uint64_t jobs_done = 0;;) {
    // Batches as the supervisor expects them when it decides whom to wake.
    ipc::TakeLimit limit{ipc::kBatchCostNs, ipc::kMaxBatch};
    if (options.max_jobs > 0) {
      limit.jobs = static_cast<std::uint32_t>(
          std::min<std::uint64_t>(limit.jobs, options.max_jobs - jobs_done));
    }
    const os::Result<std::uint32_t> took =
        queue->PopBatch(options.cell, options.spin, kParentCheck, limit, &batch);
    if (!took && took.error() == ipc::IpcError::kCorruptJob) {
      spdlog::error("event=corrupt_job cell={}", options.cell);
      continue;
    }
    if (!took) {
      spdlog::error("event=queue_broken segment={} why=\"{}\"", options.segment,
                    took.error().message());
      return ipc::kExitQueueBroken;
    }
    if (*took == 0) {
      if (ParentGone(options.supervisor_pid)) return ipc::kExitOrphaned;
      continue;
    }
    if (batch.jobs[0].kind == ipc::JobKind::kSentinel) return ipc::kExitSentinel;
    // The answers of a batch go out in one write; one that names a result
    // buffer goes out at once, so that the supervisor can free it early. What
    // the jobs cost is read after each job measured alone and after each run
    // of cheap ones (job_cost_share.h, run_meter.h); their answers wait for
    // that reading.
    std::uint32_t first = 0;  // the first job whose cost is not read yet
    for (std::uint32_t i = 0; i < batch.size; ++i) {
      if (i == first) meter.Begin(MeasuredAlone(batch.jobs[i]));
      queue->StartJob(options.cell, batch.jobs[i].id);
      running.id = batch.jobs[i].id;
      outcomes[i] = RunJob(batch.jobs[i], limits, options.supervisor_pid);
      running.id = 0;
      queue->StartJob(options.cell, 0);
      const bool last = i + 1 == batch.size;
      if (!last && outcomes[i].buffer.empty() && !MeasuredAlone(batch.jobs[i]) &&
          !MeasuredAlone(batch.jobs[i + 1])) {
        continue;
      }
      const os::ResourceUsage cost = meter.End();
      const std::size_t count = i + 1 - first;
      ShareCost(std::span<const ipc::Job>(batch.jobs).subspan(first, count), cost.cpu_ns,
                cost.peak_rss_bytes, std::span<JobOutcome>(outcomes).subspan(first, count));
      // A result buffer ends a run, so only its last job can have one.
      const bool buffered = !outcomes[i].buffer.empty();
      if (buffered) {
        // Unmapped before the supervisor learns its name: once the
        // supervisor lets go of it, its memory is free (a worker that dies
        // before sending leaves the name to the supervisor's cleanup).
        outcomes[i].buffer.Disown();
        outcomes[i].buffer = os::SharedSegment();
      }
      for (std::uint32_t k = first; k <= i; ++k) {
        ipc::AppendResult(writer, outcomes[k].message);
        outcomes[k] = JobOutcome();  // lets go of the digits of a piped result
      }
      if (buffered && writer.Flush(fd)) return ipc::kExitPipeBroken;
      first = i + 1;
    }
    if (writer.Flush(fd)) return ipc::kExitPipeBroken;
    queue->FinishBatch(options.cell);
    jobs_done += batch.size;
    if (options.max_jobs > 0 && jobs_done >= options.max_jobs) return ipc::kExitRecycle;
    if (max_rss_bytes > 0 && ResidentBytes() > max_rss_bytes) {
      spdlog::info("event=worker_recycle cause=memory rss_bytes={}", ResidentBytes());
      return ipc::kExitRecycle;
    }
  }
}

}  // namespace fibpool::worker
