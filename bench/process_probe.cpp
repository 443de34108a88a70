#include "bench/process_probe.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fibpool::bench {

ProcessMemory ReadProcessMemory(pid_t pid) {
  ProcessMemory m;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    std::uint64_t* field = line.rfind("VmRSS:", 0) == 0      ? &m.rss
                           : line.rfind("RssAnon:", 0) == 0  ? &m.anon
                           : line.rfind("RssShmem:", 0) == 0 ? &m.shmem
                                                             : nullptr;
    if (field == nullptr) continue;
    std::istringstream fields(line.substr(line.find(':') + 1));
    std::uint64_t kb = 0;
    fields >> kb;
    *field = kb * 1024;
  }
  return m;
}

unsigned CountFds(pid_t pid) {
  std::error_code ec;
  unsigned n = 0;
  for (std::filesystem::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", ec), end;
       !ec && it != end; it.increment(ec)) {
    ++n;
  }
  return n;
}

ShmUse ShmOf(pid_t supervisor) {
  ShmUse use;
  const std::string prefix = "fibpool." + std::to_string(supervisor) + ".";
  std::error_code ec;
  for (std::filesystem::directory_iterator it("/dev/shm", ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    struct stat st {};
    if (::stat(it->path().c_str(), &st) != 0) continue;  // unlinked meanwhile
    ++use.segments;
    use.bytes += static_cast<std::uint64_t>(st.st_blocks) * 512;
  }
  return use;
}

std::uint64_t StartTicks(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  std::getline(in, stat);
  // The command (field 2) is in parentheses and may hold spaces: count from
  // the last ')'.
  const auto paren = stat.rfind(')');
  if (paren == std::string::npos) return 0;
  std::istringstream fields(stat.substr(paren + 2));
  std::string field;
  for (int i = 3; i < 22 && fields >> field; ++i) {
  }
  std::uint64_t ticks = 0;
  fields >> ticks;
  return ticks;
}

void AddProcesses(const std::vector<pid_t>& pids, ProcessSet* set) {
  for (const pid_t p : pids) {
    if (set->count(p)) continue;
    if (const std::uint64_t t = StartTicks(p)) (*set)[p] = t;
  }
}

unsigned StillRunning(const ProcessSet& set) {
  unsigned n = 0;
  for (const auto& [pid, ticks] : set) n += StartTicks(pid) == ticks;
  return n;
}

}  // namespace fibpool::bench
