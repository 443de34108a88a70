#include "worker/run_meter.h"

#include <algorithm>

#include "os/monotonic_clock.h"

namespace fibpool::worker {

RunMeter::RunMeter() : peak_rss_bytes_(os::SelfResourceUsage().peak_rss_bytes) {}

void RunMeter::Begin(bool measured_alone) {
  precise_ = measured_alone;
  start_ns_ = precise_ ? os::SelfResourceUsage().cpu_ns : os::MonotonicNanos();
}

os::ResourceUsage RunMeter::End() {
  std::uint64_t now_ns = 0;
  if (precise_) {
    const os::ResourceUsage usage = os::SelfResourceUsage();
    now_ns = usage.cpu_ns;
    peak_rss_bytes_ = std::max(peak_rss_bytes_, usage.peak_rss_bytes);
  } else {
    now_ns = os::MonotonicNanos();
  }
  return os::ResourceUsage{now_ns - std::min(start_ns_, now_ns), peak_rss_bytes_};
}

}  // namespace fibpool::worker
