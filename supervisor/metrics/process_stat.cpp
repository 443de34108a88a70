#include "supervisor/metrics/process_stat.h"

#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fibpool::supervisor {

namespace {

// Fields 14 (utime), 15 (stime) and 22 (starttime) of /proc/PID/stat, in
// clock ticks; 23 (vsize) in bytes and 24 (rss) in pages. The command name
// (field 2) may hold spaces and parentheses: fields are counted from its
// closing parenthesis, the last ')' of the line.
struct StatTicks {
  unsigned long long utime = 0, stime = 0, starttime = 0, vsize = 0, rss = 0;
};

StatTicks ReadStat(const std::string& path) {
  StatTicks t;
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return t;
  const auto close = line.rfind(')');
  if (close == std::string::npos) return t;
  std::istringstream fields(line.substr(close + 1));
  std::array<std::string, 22> f;  // fields 3..24
  for (auto& field : f) {
    if (!(fields >> field)) return t;
  }
  const auto number = [](const std::string& s) {
    unsigned long long v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
  };
  t.utime = number(f[11]);
  t.stime = number(f[12]);
  t.starttime = number(f[19]);
  t.vsize = number(f[20]);
  t.rss = number(f[21]);
  return t;
}

double TicksPerSecond() {
  static const long ticks = ::sysconf(_SC_CLK_TCK);
  return ticks > 0 ? static_cast<double>(ticks) : 100.0;
}

double OpenFds() {
  std::error_code ec;
  double count = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++count;
  }
  return count;
}

}  // namespace

double ProcessCpuSeconds(pid_t pid) {
  if (pid <= 0) return 0;
  const StatTicks t = ReadStat("/proc/" + std::to_string(pid) + "/stat");
  return static_cast<double>(t.utime + t.stime) / TicksPerSecond();
}

double ProcessStartTimeSeconds() {
  std::ifstream in("/proc/stat");
  std::string key;
  unsigned long long boot_time = 0;
  while (in >> key) {
    if (key == "btime") {
      in >> boot_time;
      break;
    }
    in.ignore(1 << 20, '\n');
  }
  if (boot_time == 0) return 0;
  return static_cast<double>(boot_time) +
         static_cast<double>(ReadStat("/proc/self/stat").starttime) / TicksPerSecond();
}

ProcessUsage ReadProcessUsage() {
  const StatTicks t = ReadStat("/proc/self/stat");
  ProcessUsage usage;
  usage.cpu_seconds = static_cast<double>(t.utime + t.stime) / TicksPerSecond();
  usage.virtual_bytes = static_cast<double>(t.vsize);
  static const long page = ::sysconf(_SC_PAGESIZE);
  usage.resident_bytes = static_cast<double>(t.rss) * static_cast<double>(page > 0 ? page : 4096);
  usage.open_fds = OpenFds();
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) usage.max_fds = static_cast<double>(limit.rlim_cur);
  return usage;
}

}  // namespace fibpool::supervisor
