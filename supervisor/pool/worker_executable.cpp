#include "supervisor/pool/worker_executable.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace fibpool::supervisor {

std::optional<std::string> WorkerExecutableProblem(const std::filesystem::path& path) {
  const std::string what = "worker executable " + path.string();
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return what + " not found";
    return what + " cannot be read (" + std::strerror(errno) + ")";
  }
  if (S_ISDIR(st.st_mode)) return what + " is not executable (it is a directory)";
  if (::access(path.c_str(), X_OK) != 0) {
    return what + " is not executable (" + std::strerror(errno) + ")";
  }
  return std::nullopt;
}

}  // namespace fibpool::supervisor
