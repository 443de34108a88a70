// Micro-benchmarks of the pool's hops: the shared-memory job queue within one
// process (the cost of TryPush + Pop with no waiting), and a ping-pong between
// two processes (jobs through the JobQueue, result frames back through a
// pipe, one job or a batch per round), which is what a tiny job costs the
// pool on top of the compute. For scale: a plain pipe ping-pong between two
// processes.
//
// Each benchmark makes its own queue in an unlinked shared-memory segment
// (nothing left behind, even on a crash) and reaps the child it forks.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <string>

#include <benchmark/benchmark.h>

#include "ipc/frame.h"
#include "ipc/job_queue.h"
#include "ipc/messages.h"
#include "os/shared_segment.h"
#include "os/unique_fd.h"

namespace {

using fibpool::ipc::Job;
using fibpool::ipc::JobQueue;
using fibpool::os::SharedSegment;

constexpr std::uint32_t kCapacity = 1024;
constexpr std::uint32_t kCells = 4;

SharedSegment MakeSegment() {
  static int counter = 0;
  SharedSegment s = SharedSegment::Create("fibpool-micro." + std::to_string(::getpid()) + "." +
                                              std::to_string(counter++),
                                          JobQueue::BytesFor(kCapacity, kCells))
                        .value();
  s.Unlink();  // the mapping stays; a forked child inherits it
  return s;
}

// A tiny job, with about the cost estimate the supervisor gives it.
Job ComputeJob(std::uint64_t id) {
  return Job{id, fibpool::ipc::JobKind::kCompute, fibpool::ipc::Algorithm::kFast, 20, 2'000};
}

// Blocking read of exactly `size` bytes; with `spin`, polls a non-blocking fd.
bool ReadExactly(int fd, char* out, std::size_t size, bool spin) {
  std::size_t got = 0;
  while (got < size) {
    const ssize_t n = ::read(fd, out + got, size - got);
    if (n > 0) {
      got += static_cast<std::size_t>(n);
    } else if (n < 0 && (errno == EINTR || (spin && errno == EAGAIN))) {
      continue;
    } else {
      return false;
    }
  }
  return true;
}

void BM_QueueHopInProcess(benchmark::State& state) {
  SharedSegment segment = MakeSegment();
  JobQueue queue = JobQueue::Format(segment.data(), segment.size(), kCapacity, kCells).value();
  Job out;
  std::uint64_t id = 1;
  for (auto _ : state) {
    queue.TryPush(ComputeJob(id++));
    queue.WakeConsumers(1);
    queue.Pop(0, std::chrono::nanoseconds(0), std::chrono::nanoseconds(0), &out);
    queue.FinishBatch(0);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_QueueHopInProcess);

// Tiny jobs' round trip through the pool's mechanisms, across processes: the
// parent pushes `batch` jobs and wakes the consumer; the child (a worker)
// takes them as a worker does (spinning `spin_us` before it sleeps on the
// futex; up to 64 us of estimated work per take), answers each with a
// ResultMessage frame, all of a take in one write, and the parent reads them
// (blocking like the supervisor's epoll wait, or spinning on a non-blocking
// read). Time per job: the items/s column.
void BM_QueueHopCrossProcess(benchmark::State& state) {
  const auto spin = std::chrono::microseconds(state.range(0));
  const bool parent_spins = state.range(1) != 0;
  const auto batch = static_cast<std::uint64_t>(state.range(2));
  SharedSegment segment = MakeSegment();
  JobQueue queue = JobQueue::Format(segment.data(), segment.size(), kCapacity, kCells).value();
  fibpool::os::UniqueFd read_end, write_end;
  if (fibpool::os::MakePipe(&read_end, &write_end)) {
    state.SkipWithError("pipe");
    return;
  }
  const pid_t parent = ::getpid();
  const pid_t child = ::fork();
  if (child == 0) {
    read_end.Reset();
    fibpool::ipc::JobBatch jobs;
    fibpool::ipc::FrameWriter writer;
    for (;;) {
      const auto took = queue.PopBatch(0, spin, std::chrono::milliseconds(200),
                                       fibpool::ipc::TakeLimit{64'000}, &jobs);
      if (!took) ::_exit(1);
      if (*took == 0) {
        if (::getppid() != parent) ::_exit(1);
        continue;
      }
      if (jobs.jobs[0].kind == fibpool::ipc::JobKind::kSentinel) ::_exit(0);
      for (std::uint32_t i = 0; i < jobs.size; ++i) {
        fibpool::ipc::ResultMessage m;
        m.job_id = jobs.jobs[i].id;
        m.text = "6765";
        writer.Append(fibpool::ipc::FrameType::kResult, m);
      }
      if (writer.Flush(write_end.get())) ::_exit(1);
      queue.FinishBatch(0);
    }
  }
  write_end.Reset();
  if (parent_spins) ::fcntl(read_end.get(), F_SETFL, O_NONBLOCK);
  // Every reply has the same length: one frame header plus a fixed-size body.
  fibpool::ipc::ResultMessage probe;
  probe.job_id = 1;
  probe.text = "6765";
  const std::size_t reply_size =
      fibpool::ipc::EncodeMessage(fibpool::ipc::FrameType::kResult, probe).size();
  std::string replies(reply_size * batch, '\0');
  fibpool::ipc::FrameDecoder decoder;
  std::uint64_t id = 1;
  for (auto _ : state) {
    for (std::uint64_t i = 0; i < batch; ++i) queue.TryPush(ComputeJob(id++));
    queue.WakeConsumers(1);
    if (!ReadExactly(read_end.get(), replies.data(), replies.size(), parent_spins)) {
      state.SkipWithError("worker gone");
      break;
    }
    decoder.Feed(replies);
    fibpool::ipc::FrameDecoder::Frame frame;
    while (decoder.Next(&frame) == fibpool::ipc::FrameDecoder::Status::kFrame) {
      auto m = fibpool::ipc::Decode<fibpool::ipc::ResultMessage>(frame.body);
      benchmark::DoNotOptimize(m);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch));
  queue.TryPush(Job::Sentinel());
  queue.WakeConsumers(1);
  int status = 0;
  ::waitpid(child, &status, 0);
  state.SetLabel("worker spin " + std::to_string(state.range(0)) + " us, supervisor " +
                 (parent_spins ? "spins" : "blocks") + ", " + std::to_string(batch) +
                 " jobs per round");
}
BENCHMARK(BM_QueueHopCrossProcess)
    ->ArgNames({"spin_us", "parent_spins", "batch"})
    ->Args({0, 0, 1})
    ->Args({50, 0, 1})
    ->Args({50, 1, 1})
    ->Args({50, 0, 16})
    ->UseRealTime()
    ->MinTime(0.5);

// For scale: 8 bytes there and back between two processes over two pipes,
// both sides blocking in read().
void BM_PipePingPong(benchmark::State& state) {
  fibpool::os::UniqueFd to_child_r, to_child_w, to_parent_r, to_parent_w;
  if (fibpool::os::MakePipe(&to_child_r, &to_child_w) ||
      fibpool::os::MakePipe(&to_parent_r, &to_parent_w)) {
    state.SkipWithError("pipe");
    return;
  }
  const pid_t child = ::fork();
  if (child == 0) {
    to_child_w.Reset();
    to_parent_r.Reset();
    char buf[8];
    while (ReadExactly(to_child_r.get(), buf, sizeof buf, false)) {
      if (fibpool::os::WriteAll(to_parent_w.get(), buf, sizeof buf)) break;
    }
    ::_exit(0);
  }
  to_child_r.Reset();
  to_parent_w.Reset();
  char buf[8] = {};
  for (auto _ : state) {
    fibpool::os::WriteAll(to_child_w.get(), buf, sizeof buf);
    if (!ReadExactly(to_parent_r.get(), buf, sizeof buf, false)) {
      state.SkipWithError("child gone");
      break;
    }
  }
  to_child_w.Reset();  // EOF: the child exits
  int status = 0;
  ::waitpid(child, &status, 0);
}
BENCHMARK(BM_PipePingPong)->UseRealTime()->MinTime(0.5);

}  // namespace
