#include "os/robust_mutex.h"

#include <cerrno>
#include <utility>

namespace fibpool::os {

boost::system::error_code InitRobustMutex(pthread_mutex_t* mutex) {
  pthread_mutexattr_t attr;
  int rc = pthread_mutexattr_init(&attr);
  if (rc == 0) rc = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
  if (rc == 0) rc = pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
  if (rc == 0) rc = pthread_mutex_init(mutex, &attr);
  pthread_mutexattr_destroy(&attr);
  if (rc != 0) return PosixError(rc);
  return {};
}

Result<RobustLock> RobustLock::Acquire(pthread_mutex_t* mutex) {
  int rc = pthread_mutex_lock(mutex);
  const bool recovered = rc == EOWNERDEAD;
  if (recovered) {
    // The dead owner's stores are all-or-nothing per field (see the callers'
    // ordering), so the state is usable as it is.
    rc = pthread_mutex_consistent(mutex);
    if (rc != 0) pthread_mutex_unlock(mutex);
  }
  if (rc != 0) return PosixError(rc);
  return RobustLock(mutex, recovered);
}

RobustLock::RobustLock(RobustLock&& other) noexcept
    : mutex_(std::exchange(other.mutex_, nullptr)), recovered_(other.recovered_) {}

RobustLock::~RobustLock() {
  if (mutex_ != nullptr) pthread_mutex_unlock(mutex_);
}

}  // namespace fibpool::os
