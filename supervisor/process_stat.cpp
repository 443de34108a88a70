#include "supervisor/process_stat.h"

#include <unistd.h>

#include <array>
#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

namespace fibpool::supervisor {

namespace {

// Fields 14 (utime), 15 (stime) and 22 (starttime) of /proc/PID/stat, in
// clock ticks. The command name (field 2) may hold spaces and parentheses:
// fields are counted from its closing parenthesis, the last ')' of the line.
struct StatTicks {
  unsigned long long utime = 0, stime = 0, starttime = 0;
};

StatTicks ReadStat(const std::string& path) {
  StatTicks t;
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return t;
  const auto close = line.rfind(')');
  if (close == std::string::npos) return t;
  std::istringstream fields(line.substr(close + 1));
  std::array<std::string, 20> f;  // fields 3..22
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
  return t;
}

double TicksPerSecond() {
  static const long ticks = ::sysconf(_SC_CLK_TCK);
  return ticks > 0 ? static_cast<double>(ticks) : 100.0;
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

}  // namespace fibpool::supervisor
