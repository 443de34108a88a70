#include "ipc/segment_names.h"

#include <signal.h>

#include <cerrno>
#include <charconv>
#include <filesystem>
#include <string_view>

#include "os/shared_segment.h"

namespace fibpool::ipc {

namespace {
constexpr std::string_view kPrefix = "fibpool.";

// The pid in "fibpool.<pid>.<what>", or -1 when the name is not of that form.
pid_t OwnerOf(std::string_view name) {
  if (!name.starts_with(kPrefix)) return -1;
  name.remove_prefix(kPrefix.size());
  const auto dot = name.find('.');
  if (dot == std::string_view::npos || dot == 0) return -1;
  pid_t pid = -1;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + dot, pid);
  if (ec != std::errc() || end != name.data() + dot || pid <= 0) return -1;
  return pid;
}

bool Alive(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }
}  // namespace

std::string QueueSegmentName(pid_t supervisor) {
  return std::string(kPrefix) + std::to_string(supervisor) + ".queue";
}

std::string ReserveQueueSegmentName(pid_t supervisor) {
  return std::string(kPrefix) + std::to_string(supervisor) + ".reserve";
}

std::string ResultSegmentName(pid_t supervisor, std::uint64_t job_id, pid_t worker) {
  return std::string(kPrefix) + std::to_string(supervisor) + ".r" + std::to_string(job_id) +
         ".w" + std::to_string(worker);
}

std::vector<std::string> RemoveStaleSegments() {
  std::vector<std::string> removed;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/dev/shm", ec)) {
    const std::string name = entry.path().filename().string();
    const pid_t owner = OwnerOf(name);
    if (owner <= 0 || Alive(owner)) continue;
    if (os::SharedSegment::Remove(name)) removed.push_back(name);
  }
  return removed;
}

}  // namespace fibpool::ipc
