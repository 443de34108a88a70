// A worker's result as the supervisor takes it, with real /dev/shm segments:
// only the buffer name that worker may have made for that job is taken.
#include "supervisor/pool/worker_result.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>

#include "ipc/segment_names.h"
#include "os/shared_segment.h"

namespace fibpool::supervisor {
namespace {

// The supervisor and worker pids the messages below come from: this process
// stands for both (so that no fibpool start takes the names for a dead
// instance's), the worker as a pid other than the supervisor's.
const pid_t kSupervisor = ::getpid();
const pid_t kWorker = ::getpid() + 1;

bool Exists(const std::string& name) { return std::filesystem::exists("/dev/shm/" + name); }

// A segment `name` holding `text`, handed over as a worker hands its buffer.
os::SharedSegment Made(const std::string& name, const std::string& text) {
  os::SharedSegment::Remove(name);
  auto segment = os::SharedSegment::Create(name, 4096);
  EXPECT_TRUE(segment) << segment.error().message();
  if (!segment) return {};
  std::memcpy(segment->data(), text.data(), text.size());
  return std::move(*segment);
}

ipc::ResultMessage BufferResult(std::uint64_t job_id, const std::string& name,
                                std::uint64_t length) {
  ipc::ResultMessage message;
  message.job_id = job_id;
  message.status = ipc::ResultStatus::kOk;
  message.buffer_name = name;
  message.buffer_length = length;
  return message;
}

TEST(WorkerResult, TheBufferTheWorkerMadeForTheJobIsTakenAndUnlinked) {
  const std::string name = ipc::ResultSegmentName(kSupervisor, 7, kWorker);
  os::SharedSegment made = Made(name, "13");
  made.Disown();
  const JobResult result = ResultOf(BufferResult(7, name, 2), kSupervisor, kWorker);
  ASSERT_FALSE(result.error) << result.payload.text;
  EXPECT_EQ(std::string(static_cast<const char*>(result.payload.buffer.data()), result.payload.buffer_length),
            "13");
  EXPECT_FALSE(Exists(name));
}

TEST(WorkerResult, ABufferNamingAnotherSegmentIsAnInternalErrorAndTheSegmentIsLeftAlone) {
  // The job queue, another job's buffer of the same worker, this job's buffer
  // of another worker: each a real segment that must survive.
  const std::string queue = ipc::QueueSegmentName(kSupervisor);
  const std::string other_job = ipc::ResultSegmentName(kSupervisor, 8, kWorker);
  const std::string other_worker = ipc::ResultSegmentName(kSupervisor, 7, kWorker + 1);
  for (const std::string& name : {queue, other_job, other_worker}) {
    const os::SharedSegment made = Made(name, "kept");
    const JobResult result = ResultOf(BufferResult(7, name, 4), kSupervisor, kWorker);
    ASSERT_EQ(result.error, AnswerError::kInternal) << name;
    EXPECT_EQ(result.payload.text.rfind("result buffer lost: ", 0), 0u) << result.payload.text;
    EXPECT_TRUE(result.payload.buffer.empty());
    ASSERT_TRUE(Exists(name)) << name;
    EXPECT_STREQ(static_cast<const char*>(made.data()), "kept");
  }
}

}  // namespace
}  // namespace fibpool::supervisor
