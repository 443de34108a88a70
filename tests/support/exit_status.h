// A waitpid(2) status as one number, the way a shell reports it: the exit
// code of a process that exited, 128 + the signal number of one a signal
// killed, -1 for any other status. Header-only, pure.
#pragma once

#include <sys/wait.h>

namespace fibpool::testing {

inline int ExitCodeOf(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

}  // namespace fibpool::testing
