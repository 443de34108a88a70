// The robust mutex's errors: a dead owner is recovered, a mutex left
// unrecoverable is an error value, never a lock taken blindly.
#include "os/robust_mutex.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <system_error>

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

}  // namespace
}  // namespace fibpool::ipc
