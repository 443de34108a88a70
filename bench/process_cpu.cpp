#include "bench/process_cpu.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fibpool::bench {

namespace {

namespace fs = std::filesystem;

struct Totals {
  double on_cpu = 0;
  double waiting = 0;
  unsigned long long slices = 0;
};

// Sums over the threads of `pid`; the children of all its threads go to
// *children.
Totals ThreadTotals(pid_t pid, std::vector<pid_t>* children) {
  Totals total;
  std::error_code ec;
  const fs::path task = "/proc/" + std::to_string(pid) + "/task";
  for (fs::directory_iterator it(task, ec), end; !ec && it != end; it.increment(ec)) {
    std::ifstream sched(it->path() / "schedstat");
    unsigned long long on_cpu_ns = 0, wait_ns = 0, slices = 0;
    if (sched >> on_cpu_ns >> wait_ns >> slices) {
      total.on_cpu += static_cast<double>(on_cpu_ns) / 1e9;
      total.waiting += static_cast<double>(wait_ns) / 1e9;
      total.slices += slices;
    }
    if (children) {
      std::ifstream kids(it->path() / "children");
      pid_t child = 0;
      while (kids >> child) children->push_back(child);
    }
  }
  return total;
}

}  // namespace

CpuTimes ReadCpuTimes(pid_t pid) {
  CpuTimes t;
  if (pid <= 0) return t;
  std::vector<pid_t> children;
  const Totals self = ThreadTotals(pid, &children);
  t.self_seconds = self.on_cpu;
  t.self_wait_seconds = self.waiting;
  t.self_slices = self.slices;
  for (pid_t c : children) {
    const Totals child = ThreadTotals(c, nullptr);
    t.children_seconds += child.on_cpu;
    t.children_wait_seconds += child.waiting;
    t.children_slices += child.slices;
  }
  return t;
}

}  // namespace fibpool::bench
