// The robust mutex's errors: a dead owner is recovered, a mutex left
// unrecoverable is an error value, never a lock taken blindly. And why the job
// queue has it rather than Boost.Interprocess's mutex (docs/shared_memory.md).
#include "os/robust_mutex.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <new>
#include <string>
#include <system_error>

#include <boost/interprocess/sync/interprocess_mutex.hpp>

#include "os/shared_segment.h"
#include "os/unique_fd.h"
#include "tests/support/segment_name.h"

namespace fibpool::ipc {
namespace {

// A robust mutex in a shared anonymous mapping, as a queue's is.
class RobustMutexFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    void* memory = ::mmap(nullptr, sizeof(pthread_mutex_t), PROT_READ | PROT_WRITE,
                          MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(memory, MAP_FAILED);
    mutex_ = static_cast<pthread_mutex_t*>(memory);
    ASSERT_FALSE(os::InitRobustMutex(mutex_));
  }
  void TearDown() override { ::munmap(mutex_, sizeof(pthread_mutex_t)); }

  // A child process locks the mutex and exits holding it.
  void DieHoldingTheLock() {
    const pid_t child = ::fork();
    if (child == 0) ::_exit(pthread_mutex_lock(mutex_) == 0 ? 0 : 1);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }

  pthread_mutex_t* mutex_ = nullptr;
};

TEST_F(RobustMutexFixture, ALockWhoseOwnerDiedIsRecoveredAndThenWorksNormally) {
  DieHoldingTheLock();
  {
    auto lock = os::RobustLock::Acquire(mutex_);
    ASSERT_TRUE(lock) << lock.error().message();
    EXPECT_TRUE(lock->recovered());
  }
  auto again = os::RobustLock::Acquire(mutex_);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_FALSE(again->recovered());
}

TEST_F(RobustMutexFixture, AMutexLeftUnrecoverableIsAnErrorNotALock) {
  DieHoldingTheLock();
  // Unlocked without being made consistent: unusable for good.
  ASSERT_EQ(pthread_mutex_lock(mutex_), EOWNERDEAD);
  ASSERT_EQ(pthread_mutex_unlock(mutex_), 0);
  const auto lock = os::RobustLock::Acquire(mutex_);
  ASSERT_FALSE(lock);
  EXPECT_EQ(lock.error(), std::errc::state_not_recoverable);
}

// What an attempt on a Boost.Interprocess mutex came to, each attempt bounded
// in time so that a mutex locked forever fails the test instead of hanging it.
enum class BoostAttempt { kLocked, kTimedOut, kNotRecoverable, kOtherError };

BoostAttempt TryBoostLock(boost::interprocess::interprocess_mutex& mutex) {
  try {
    if (!mutex.try_lock_for(std::chrono::milliseconds(200))) return BoostAttempt::kTimedOut;
    mutex.unlock();
    return BoostAttempt::kLocked;
  } catch (const boost::interprocess::lock_exception& e) {
    return e.get_error_code() == boost::interprocess::not_recoverable ? BoostAttempt::kNotRecoverable
                                                                      : BoostAttempt::kOtherError;
  }
}

// The two kinds of process-shared mutex, side by side in one segment.
struct TwoMutexes {
  boost::interprocess::interprocess_mutex boost_mutex;
  pthread_mutex_t robust;
};

// The limit that keeps os::RobustLock in fibpool: a process SIGKILLed while it
// holds a Boost.Interprocess 1.81 interprocess_mutex loses that mutex for good
// (on Linux Boost makes it robust, but at EOWNERDEAD it throws
// not_recoverable and leaves it unrecoverable; where it is not robust it stays
// locked), so a job queue under it would be dead after any worker's kill. The
// robust lock, killed the same way, is recovered and works on.
TEST(MutexOfAKilledHolder, BoostInterprocessLosesItForGoodWhileTheRobustLockRecoversIt) {
  const std::string name = testing::TestSegmentName("two_mutexes");
  auto segment = os::SharedSegment::Create(name, sizeof(TwoMutexes));
  ASSERT_TRUE(segment) << segment.error().message();
  auto* mutexes = new (segment->data()) TwoMutexes();
  ASSERT_FALSE(os::InitRobustMutex(&mutexes->robust));

  os::UniqueFd locked_r, locked_w;
  ASSERT_FALSE(os::MakePipe(&locked_r, &locked_w));
  const pid_t holder = ::fork();
  if (holder == 0) {
    mutexes->boost_mutex.lock();
    if (pthread_mutex_lock(&mutexes->robust) != 0) ::_exit(1);
    const char locked = 1;
    if (::write(locked_w.get(), &locked, 1) != 1) ::_exit(1);
    for (;;) ::pause();
  }
  locked_w.Reset();
  pollfd ready{locked_r.get(), POLLIN, 0};
  ASSERT_EQ(::poll(&ready, 1, 10'000), 1) << "the holder did not lock both";
  ASSERT_EQ(::kill(holder, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(holder, &status, 0), holder);

  const BoostAttempt first = TryBoostLock(mutexes->boost_mutex);
  const BoostAttempt second = TryBoostLock(mutexes->boost_mutex);
  EXPECT_NE(first, BoostAttempt::kLocked);
  EXPECT_NE(second, BoostAttempt::kLocked);
  // What Boost 1.81 on glibc does: not recoverable, at once and from then on.
  EXPECT_EQ(first, BoostAttempt::kNotRecoverable);
  EXPECT_EQ(second, BoostAttempt::kNotRecoverable);

  {
    auto lock = os::RobustLock::Acquire(&mutexes->robust);
    ASSERT_TRUE(lock) << lock.error().message();
    EXPECT_TRUE(lock->recovered());
  }
  auto again = os::RobustLock::Acquire(&mutexes->robust);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_FALSE(again->recovered());
}

}  // namespace
}  // namespace fibpool::ipc
