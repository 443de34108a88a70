#include "ipc/robust_mutex.h"

#include <cerrno>
#include <system_error>

namespace fibpool::ipc {

void InitRobustMutex(pthread_mutex_t* mutex) {
  pthread_mutexattr_t attr;
  int rc = pthread_mutexattr_init(&attr);
  if (rc == 0) rc = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
  if (rc == 0) rc = pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
  if (rc == 0) rc = pthread_mutex_init(mutex, &attr);
  pthread_mutexattr_destroy(&attr);
  if (rc != 0) throw std::system_error(rc, std::system_category(), "robust mutex init");
}

RobustLock::RobustLock(pthread_mutex_t* mutex) : mutex_(mutex) {
  int rc = pthread_mutex_lock(mutex_);
  if (rc == EOWNERDEAD) {
    // The dead owner's stores are all-or-nothing per field (see the callers'
    // ordering), so the state is usable as it is.
    pthread_mutex_consistent(mutex_);
    recovered_ = true;
  }
}

RobustLock::~RobustLock() { pthread_mutex_unlock(mutex_); }

}  // namespace fibpool::ipc
