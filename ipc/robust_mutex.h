// A process-shared, robust pthread mutex placed in shared memory.
//
// Boost.Interprocess's interprocess_mutex is process-shared but not robust: a
// process killed while holding it leaves it locked forever. This one is robust:
// the next process to lock it after its owner died gets the lock, and
// RobustLock::recovered() tells it that the previous owner died inside the
// critical section. The mutex is then marked consistent at once, so callers
// must keep the protected state consistent at every store (the job queue
// does: see job_queue.h).
#pragma once

#include <pthread.h>

namespace fibpool::ipc {

// Initialises *mutex in place (creator only, before any other process maps it).
// Throws std::system_error on failure.
void InitRobustMutex(pthread_mutex_t* mutex);

// Scoped lock on a mutex made by InitRobustMutex.
class RobustLock {
 public:
  explicit RobustLock(pthread_mutex_t* mutex);
  ~RobustLock();
  RobustLock(const RobustLock&) = delete;
  RobustLock& operator=(const RobustLock&) = delete;

  // True when the previous owner died holding the lock.
  bool recovered() const { return recovered_; }

 private:
  pthread_mutex_t* mutex_;
  bool recovered_ = false;
};

}  // namespace fibpool::ipc
