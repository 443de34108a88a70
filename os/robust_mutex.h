// A process-shared, robust pthread mutex placed in shared memory.
//
// Boost.Interprocess 1.81's interprocess_mutex does not survive its holder's
// death: on Linux it is robust, but the next lock after the holder died
// throws not_recoverable and leaves it unusable for every process (shown in
// tests/unit/os/robust_mutex_test.cpp). This one is recovered: the next process
// to lock it after its owner died gets the lock, and
// RobustLock::recovered() tells it that the previous owner died inside the
// critical section. The mutex is then marked consistent at once, so callers
// must keep the protected state consistent at every store (the job queue
// does: see job_queue.h).
//
// Failure behaviour: errors are values (os/posix_error.h), the pthread
// function's error number as an error code. InitRobustMutex fails only on a
// system without robust process-shared mutexes. RobustLock::Acquire returns
// the error of pthread_mutex_lock other than EOWNERDEAD (ENOTRECOVERABLE,
// EINVAL: the memory no longer holds a usable mutex) or of
// pthread_mutex_consistent after EOWNERDEAD; in the latter case it unlocks
// again, which leaves the mutex ENOTRECOVERABLE for everyone rather than
// locked forever. Either way the lock is not held and the state it guards can
// no longer be shared safely: the callers treat it as a corrupt queue
// (job_queue.h), never as a reason to go on without the lock.
#pragma once

#include <pthread.h>

#include "os/posix_error.h"

namespace fibpool::os {

// Initialises *mutex in place (creator only, before any other process maps it).
boost::system::error_code InitRobustMutex(pthread_mutex_t* mutex);

// Scoped lock on a mutex made by InitRobustMutex. Move-only; a moved-from
// lock holds nothing.
class RobustLock {
 public:
  static Result<RobustLock> Acquire(pthread_mutex_t* mutex);
  RobustLock(RobustLock&& other) noexcept;
  RobustLock& operator=(RobustLock&&) = delete;
  RobustLock(const RobustLock&) = delete;
  RobustLock& operator=(const RobustLock&) = delete;
  ~RobustLock();

  // True when the previous owner died holding the lock.
  bool recovered() const { return recovered_; }

 private:
  RobustLock(pthread_mutex_t* mutex, bool recovered) : mutex_(mutex), recovered_(recovered) {}

  pthread_mutex_t* mutex_;
  bool recovered_;
};

}  // namespace fibpool::os
