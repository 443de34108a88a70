// The shared-memory job queue with real processes: fork()ed consumers that
// attach to the same segment, take jobs, and die at the worst moments.
#include "ipc/job_queue.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "ipc/ipc_error.h"
#include "os/shared_segment.h"
#include "os/unique_fd.h"
#include "tests/support/exit_status.h"
#include "tests/support/segment_name.h"
#include "tests/support/wait.h"

namespace fibpool::ipc {
namespace {

using namespace std::chrono_literals;

constexpr std::uint32_t kCells = 8;

// What a take that got `jobs` jobs returns.
os::Result<std::uint32_t> Took(std::uint32_t jobs) { return jobs; }

// A segment whose name belongs to this test alone; leftovers are removed first.
class QueueFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    name_ = testing::TestSegmentName("queue");
    segment_ = os::SharedSegment::Create(name_, JobQueue::BytesFor(64, kCells)).value();
    queue_.emplace(JobQueue::Format(segment_.data(), segment_.size(), 64, kCells).value());
  }

  // A second, independent mapping of the segment, as another process has.
  JobQueue AttachAgain(os::SharedSegment* holder) {
    *holder = os::SharedSegment::Open(name_, os::SharedSegment::Access::kReadWrite).value();
    return JobQueue::Attach(holder->data(), holder->size()).value();
  }

  static Job Compute(std::uint64_t id, std::uint64_t cost_ns = 1) {
    return Job{id, JobKind::kCompute, Algorithm::kFast, id, cost_ns};
  }

  std::vector<std::uint64_t> IdsOf(const JobBatch& batch) {
    std::vector<std::uint64_t> ids;
    for (std::uint32_t i = 0; i < batch.size; ++i) ids.push_back(batch.jobs[i].id);
    return ids;
  }

  // Forks a child that runs fn() and exits with its return value.
  template <class Fn>
  pid_t Fork(Fn&& fn) {
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(fn());
    return pid;
  }

  static int WaitExit(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return testing::ExitCodeOf(status);
  }

  // Forks a consumer that takes the lock and is killed while holding it;
  // with `job_ids`, after publishing their claims in `cell` as a take does,
  // before it advances the head.
  void KillConsumerHoldingTheLock(std::uint32_t cell = 0, std::vector<std::uint64_t> job_ids = {}) {
    os::UniqueFd r, w;
    ASSERT_FALSE(os::MakePipe(&r, &w));
    const pid_t child = Fork([&] {
      os::SharedSegment mine;
      JobQueue q = AttachAgain(&mine);
      q.WithConsumerLock([&] {
        for (std::size_t i = 0; i < job_ids.size(); ++i) q.cell(cell).claims[i].store(job_ids[i]);
        q.cell(cell).claimed.store(static_cast<std::uint32_t>(job_ids.size()));
        char c = 'L';
        (void)os::WriteAll(w.get(), &c, 1);
        ::pause();
      });
      return 0;
    });
    char c = 0;
    ASSERT_EQ(::read(r.get(), &c, 1), 1);
    ::kill(child, SIGKILL);
    EXPECT_EQ(WaitExit(child), 128 + SIGKILL);
  }

  std::string name_;
  os::SharedSegment segment_;
  std::optional<JobQueue> queue_;
};

TEST_F(QueueFixture, PushedJobsComeOutInOrderWithTheirClaim) {
  ASSERT_TRUE(queue_->TryPush(Compute(1)));
  ASSERT_TRUE(queue_->TryPush(Compute(2)));
  EXPECT_EQ(queue_->Depth(), 2u);
  Job job;
  ASSERT_EQ(queue_->Pop(3, 0ns, 0ns, &job), Took(1));
  EXPECT_EQ(job, Compute(1));
  EXPECT_EQ(queue_->cell(3).claimed.load(), 1u);
  EXPECT_EQ(queue_->cell(3).claims[0].load(), 1u);
  EXPECT_EQ(queue_->cell(3).job_id.load(), 0u);  // claimed, not started
  queue_->StartJob(3, 1);
  EXPECT_EQ(queue_->cell(3).job_id.load(), 1u);
  EXPECT_GT(queue_->cell(3).started_ns.load(), 0u);
  queue_->FinishBatch(3);
  EXPECT_EQ(queue_->cell(3).job_id.load(), 0u);
  EXPECT_EQ(queue_->cell(3).claimed.load(), 0u);
  ASSERT_EQ(queue_->Pop(3, 0ns, 0ns, &job), Took(1));
  EXPECT_EQ(job.id, 2u);
  EXPECT_EQ(queue_->Pop(3, 0ns, 1ms, &job), Took(0));
}

TEST_F(QueueFixture, FullQueueRefusesPushesUntilAJobIsTaken) {
  for (std::uint64_t i = 1; i <= 64; ++i) ASSERT_TRUE(queue_->TryPush(Compute(i)));
  EXPECT_FALSE(queue_->TryPush(Compute(65)));
  Job job;
  ASSERT_EQ(queue_->Pop(0, 0ns, 0ns, &job), Took(1));
  EXPECT_TRUE(queue_->TryPush(Compute(65)));
}

TEST_F(QueueFixture, BatchTakesFollowingJobsWithinTheCostBudget) {
  for (std::uint64_t id = 1; id <= 5; ++id) ASSERT_TRUE(queue_->TryPush(Compute(id, 10)));
  ASSERT_TRUE(queue_->TryPush(Compute(6, 1000)));
  ASSERT_TRUE(queue_->TryPush(Compute(7, 10)));
  JobBatch batch;
  ASSERT_EQ(queue_->PopBatch(2, 0ns, 0ns, TakeLimit{30, kMaxBatch}, &batch), Took(3));
  EXPECT_EQ(IdsOf(batch), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(queue_->cell(2).claimed.load(), 3u);
  EXPECT_EQ(queue_->cell(2).claims[2].load(), 3u);
  queue_->FinishBatch(2);
  // The expensive job ends the batch before it...
  ASSERT_EQ(queue_->PopBatch(2, 0ns, 0ns, TakeLimit{1000, kMaxBatch}, &batch), Took(2));
  EXPECT_EQ(IdsOf(batch), (std::vector<std::uint64_t>{4, 5}));
  // ...and is taken alone however small the budget, at the head.
  ASSERT_EQ(queue_->PopBatch(2, 0ns, 0ns, TakeLimit{0, kMaxBatch}, &batch), Took(1));
  EXPECT_EQ(IdsOf(batch), (std::vector<std::uint64_t>{6}));
  EXPECT_EQ(queue_->Depth(), 1u);
}

TEST_F(QueueFixture, BatchStopsAtTheJobLimitAndAtASentinel) {
  for (std::uint64_t id = 1; id <= 3; ++id) ASSERT_TRUE(queue_->TryPush(Compute(id)));
  ASSERT_TRUE(queue_->TryPush(Job::Sentinel()));
  ASSERT_TRUE(queue_->TryPush(Compute(4)));
  JobBatch batch;
  ASSERT_EQ(queue_->PopBatch(0, 0ns, 0ns, TakeLimit{1000, 2}, &batch), Took(2));
  EXPECT_EQ(IdsOf(batch), (std::vector<std::uint64_t>{1, 2}));
  ASSERT_EQ(queue_->PopBatch(0, 0ns, 0ns, TakeLimit{1000, kMaxBatch}, &batch), Took(1));
  EXPECT_EQ(IdsOf(batch), (std::vector<std::uint64_t>{3}));
  ASSERT_EQ(queue_->PopBatch(0, 0ns, 0ns, TakeLimit{1000, kMaxBatch}, &batch), Took(1));
  ASSERT_EQ(batch.size, 1u);
  EXPECT_EQ(batch.jobs[0].kind, JobKind::kSentinel);
}

TEST_F(QueueFixture, SentinelsCarryNoClaim) {
  ASSERT_TRUE(queue_->TryPush(Job::Sentinel()));
  Job job;
  ASSERT_EQ(queue_->Pop(1, 0ns, 0ns, &job), Took(1));
  EXPECT_EQ(job.kind, JobKind::kSentinel);
  EXPECT_EQ(queue_->cell(1).claimed.load(), 0u);
}

TEST_F(QueueFixture, AttachingToAnUnformattedSegmentIsABadMagicError) {
  std::vector<char> zeros(JobQueue::BytesFor(64, kCells), 0);
  const auto queue = JobQueue::Attach(zeros.data(), zeros.size());
  ASSERT_FALSE(queue);
  EXPECT_EQ(queue.error(), IpcError::kBadMagic);
  EXPECT_EQ(queue.error().category().name(), std::string("fibpool.ipc"));
  EXPECT_TRUE(JobQueue::Attach(segment_.data(), segment_.size()));
}

TEST_F(QueueFixture, AttachingToATooSmallSegmentIsASizeMismatch) {
  EXPECT_EQ(JobQueue::Attach(segment_.data(), 100).error(), IpcError::kSizeMismatch);
  EXPECT_EQ(JobQueue::Attach(segment_.data(), segment_.size() - 1).error(),
            IpcError::kSizeMismatch);
}

TEST_F(QueueFixture, AttachingToAnotherLayoutVersionIsAVersionMismatch) {
  // The header begins {uint64 magic, uint32 version} (docs/shared_memory.md).
  std::vector<char> copy(static_cast<const char*>(segment_.data()),
                         static_cast<const char*>(segment_.data()) + segment_.size());
  const std::uint32_t other = kLayoutVersion + 1;
  std::memcpy(copy.data() + sizeof(std::uint64_t), &other, sizeof other);
  EXPECT_EQ(JobQueue::Attach(copy.data(), copy.size()).error(), IpcError::kVersionMismatch);
}

TEST_F(QueueFixture, FormattingTooSmallAMemoryIsASizeMismatch) {
  std::vector<char> memory(JobQueue::BytesFor(64, kCells) - 1, 0);
  EXPECT_EQ(JobQueue::Format(memory.data(), memory.size(), 64, kCells).error(),
            IpcError::kSizeMismatch);
  EXPECT_EQ(JobQueue::Format(memory.data(), memory.size(), 0, kCells).error(),
            IpcError::kSizeMismatch);
}

// The layout of docs/shared_memory.md: the slots are last, 64 bytes each,
// beginning with their u32 length; the Control block (robust mutex first)
// begins at the first 64-byte boundary after the header.
TEST_F(QueueFixture, ACorruptJobIsAnErrorThatDropsOnlyThatJob) {
  ASSERT_TRUE(queue_->TryPush(Compute(1)));
  ASSERT_TRUE(queue_->TryPush(Compute(2)));
  char* slots = static_cast<char*>(segment_.data()) + JobQueue::BytesFor(64, kCells) - 64 * 64;
  const std::uint32_t too_long = 1000;
  std::memcpy(slots, &too_long, sizeof too_long);
  Job job;
  const auto took = queue_->Pop(0, 0ns, 0ns, &job);
  ASSERT_FALSE(took);
  EXPECT_EQ(took.error(), IpcError::kCorruptJob);
  EXPECT_EQ(queue_->cell(0).claimed.load(), 0u);
  ASSERT_EQ(queue_->Pop(0, 0ns, 0ns, &job), Took(1));
  EXPECT_EQ(job.id, 2u);
}

TEST_F(QueueFixture, ABrokenLockIsAnErrorForTakesAndRepairsNeverAJobTakenWithoutIt) {
  KillConsumerHoldingTheLock();
  auto* mutex = reinterpret_cast<pthread_mutex_t*>(static_cast<char*>(segment_.data()) + 64);
  // Unlocked without being made consistent: unusable for good.
  ASSERT_EQ(pthread_mutex_lock(mutex), EOWNERDEAD);
  ASSERT_EQ(pthread_mutex_unlock(mutex), 0);
  ASSERT_TRUE(queue_->TryPush(Compute(1)));
  Job job;
  const auto took = queue_->Pop(0, 0ns, 0ns, &job);
  ASSERT_FALSE(took);
  EXPECT_EQ(took.error(), std::errc::state_not_recoverable);
  EXPECT_EQ(queue_->Depth(), 1u);
  EXPECT_EQ(queue_->Repair(), std::errc::state_not_recoverable);
}

// One producer and several consumer processes at once, taking batches: every
// job is taken exactly once, and each consumer leaves on its own sentinel.
TEST_F(QueueFixture, ConsumerProcessesTakeEveryJobExactlyOnce) {
  constexpr int kConsumers = 3;
  constexpr std::uint64_t kJobs = 20'000;
  std::vector<os::UniqueFd> reads;
  std::vector<pid_t> pids;
  for (int c = 0; c < kConsumers; ++c) {
    os::UniqueFd r, w;
    ASSERT_FALSE(os::MakePipe(&r, &w));
    pids.push_back(Fork([&, c, wfd = w.get()] {
      os::SharedSegment mine;
      JobQueue q = AttachAgain(&mine);
      JobBatch batch;
      for (;;) {
        const auto took =
            q.PopBatch(static_cast<std::uint32_t>(c), 20us, 1s, TakeLimit{8, kMaxBatch}, &batch);
        if (!took || *took == 0) return 3;
        if (batch.jobs[0].kind == JobKind::kSentinel) return 0;
        for (std::uint32_t i = 0; i < batch.size; ++i) {
          if (os::WriteAll(wfd, &batch.jobs[i].id, sizeof batch.jobs[i].id)) return 4;
        }
        q.FinishBatch(static_cast<std::uint32_t>(c));
      }
    }));
    reads.push_back(std::move(r));
  }
  // Produce while they consume; readers drain the pipes as we go.
  std::multiset<std::uint64_t> seen;
  std::vector<std::thread> readers;
  std::mutex mu;
  for (auto& r : reads) {
    readers.emplace_back([&, fd = r.get()] {
      std::uint64_t id;
      while (::read(fd, &id, sizeof id) == static_cast<ssize_t>(sizeof id)) {
        std::lock_guard lock(mu);
        seen.insert(id);
      }
    });
  }
  for (std::uint64_t id = 1; id <= kJobs;) {
    if (queue_->TryPush(Compute(id))) {
      ++id;
      queue_->WakeConsumers(1);
    }
  }
  for (int c = 0; c < kConsumers;) {
    if (queue_->TryPush(Job::Sentinel())) ++c;
  }
  queue_->WakeConsumers(kConsumers);
  // The parent's write ends closed at the end of each fork loop iteration, so
  // each reader sees EOF when its child exits.
  for (pid_t pid : pids) EXPECT_EQ(WaitExit(pid), 0);
  for (auto& t : readers) t.join();
  ASSERT_EQ(seen.size(), kJobs);
  for (std::uint64_t id = 1; id <= kJobs; ++id) ASSERT_EQ(seen.count(id), 1u) << id;
  EXPECT_EQ(queue_->Depth(), 0u);
}

// Two jobs pushed together and one wake-up: the consumer that takes the first
// wakes the other for the second, which runs at once instead of after the
// sleeper's 30 s wait.
TEST_F(QueueFixture, ConsumerThatLeavesJobsQueuedWakesAnother) {
  constexpr int kConsumers = 2;
  os::UniqueFd taken_r, taken_w, release_r, release_w;
  ASSERT_FALSE(os::MakePipe(&taken_r, &taken_w));
  ASSERT_FALSE(os::MakePipe(&release_r, &release_w));
  std::vector<pid_t> pids;
  for (int c = 0; c < kConsumers; ++c) {
    pids.push_back(Fork([&, c] {
      release_w.Reset();  // so that the parent's exit releases it, whatever happens
      taken_r.Reset();
      os::SharedSegment mine;
      JobQueue q = AttachAgain(&mine);
      Job job;
      if (q.Pop(static_cast<std::uint32_t>(c), 0ns, 30s, &job) != Took(1)) {
        return 1;
      }
      if (os::WriteAll(taken_w.get(), &job.id, sizeof job.id)) return 2;
      char c2 = 0;
      return ::read(release_r.get(), &c2, 1) == 1 ? 0 : 3;  // holds its job until released
    }));
  }
  taken_w.Reset();
  release_r.Reset();
  ASSERT_TRUE(testing::WaitFor([&] { return queue_->sleepers() == kConsumers; }, 10s));
  ASSERT_TRUE(queue_->TryPush(Compute(1, kBatchCostNs)));
  ASSERT_TRUE(queue_->TryPush(Compute(2, kBatchCostNs)));
  queue_->WakeConsumers(1);
  std::set<std::uint64_t> taken;
  for (int i = 0; i < kConsumers; ++i) {
    pollfd p{taken_r.get(), POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 5'000), 1) << "job " << i + 1 << " not taken within 5 s";
    std::uint64_t id = 0;
    ASSERT_EQ(::read(taken_r.get(), &id, sizeof id), static_cast<ssize_t>(sizeof id));
    taken.insert(id);
  }
  EXPECT_EQ(taken, (std::set<std::uint64_t>{1, 2}));
  const char go[kConsumers] = {'g', 'g'};
  ASSERT_FALSE(os::WriteAll(release_w.get(), go, sizeof go));
  for (pid_t pid : pids) EXPECT_EQ(WaitExit(pid), 0);
}

TEST_F(QueueFixture, SleepingConsumerWakesWhenAJobArrives) {
  os::UniqueFd r, w;
  ASSERT_FALSE(os::MakePipe(&r, &w));
  const pid_t child = Fork([&] {
    os::SharedSegment mine;
    JobQueue q = AttachAgain(&mine);
    Job job;
    if (q.Pop(0, 0ns, 10s, &job) != Took(1)) return 1;
    return os::WriteAll(w.get(), &job.id, sizeof job.id) ? 2 : 0;
  });
  w.Reset();
  // Whether the child already sleeps on the futex or is still attaching, the
  // push and wake must reach it well before its 10 s wait ends.
  ASSERT_TRUE(queue_->TryPush(Compute(77)));
  queue_->WakeConsumers(1);
  std::uint64_t id = 0;
  ASSERT_EQ(::read(r.get(), &id, sizeof id), static_cast<ssize_t>(sizeof id));
  EXPECT_EQ(id, 77u);
  EXPECT_EQ(WaitExit(child), 0);
}

// A consumer killed while it holds the queue's lock must not wedge the pool.
TEST_F(QueueFixture, ConsumerKilledHoldingTheLockDoesNotWedgeTheQueue) {
  KillConsumerHoldingTheLock();

  ASSERT_TRUE(queue_->TryPush(Compute(5)));
  Job job;
  ASSERT_EQ(queue_->Pop(0, 0ns, 1s, &job), Took(1));
  EXPECT_EQ(job.id, 5u);
  EXPECT_EQ(queue_->recoveries(), 1u);
  // The lock works normally afterwards.
  ASSERT_TRUE(queue_->TryPush(Compute(6)));
  ASSERT_EQ(queue_->Pop(0, 0ns, 1s, &job), Took(1));
  EXPECT_EQ(job.id, 6u);
  EXPECT_EQ(queue_->recoveries(), 1u);
}

// Killed after publishing the claims of a batch but before advancing the
// head: the jobs must end up claimed (for the supervisor to retry) and no
// longer queued.
TEST_F(QueueFixture, ConsumerKilledBetweenClaimAndHeadLeavesTheJobsClaimedOnly) {
  ASSERT_TRUE(queue_->TryPush(Compute(10)));
  ASSERT_TRUE(queue_->TryPush(Compute(11)));
  ASSERT_TRUE(queue_->TryPush(Compute(12)));
  KillConsumerHoldingTheLock(2, {10, 11});

  queue_->Repair();  // what the supervisor does when it sees the death
  EXPECT_EQ(queue_->Depth(), 1u);
  std::uint64_t running = 99;
  EXPECT_EQ(queue_->TakeClaims(2, &running), (std::vector<std::uint64_t>{10, 11}));
  EXPECT_EQ(running, 0u);
  EXPECT_EQ(queue_->cell(2).claimed.load(), 0u);
  Job job;
  ASSERT_EQ(queue_->Pop(0, 0ns, 1s, &job), Took(1));
  EXPECT_EQ(job.id, 12u);
}

TEST_F(QueueFixture, RecoveringConsumerAlsoRepairsAHalfDoneTake) {
  ASSERT_TRUE(queue_->TryPush(Compute(20)));
  ASSERT_TRUE(queue_->TryPush(Compute(21)));
  KillConsumerHoldingTheLock(4, {20});
  Job job;
  ASSERT_EQ(queue_->Pop(0, 0ns, 1s, &job), Took(1));
  EXPECT_EQ(job.id, 21u);
  EXPECT_EQ(queue_->recoveries(), 1u);
}

}  // namespace
}  // namespace fibpool::ipc
