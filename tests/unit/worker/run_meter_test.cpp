#include "worker/run_meter.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <memory>

#include "os/resource_usage.h"

namespace fibpool::worker {
namespace {

constexpr std::size_t kBigBytes = 64u << 20;

// Touches every page of a fresh kBigBytes block, so that the resident size
// grows by about that much; returns a checksum so the writes stay.
std::uint64_t TouchBigBlock() {
  const auto block = std::make_unique<unsigned char[]>(kBigBytes);
  for (std::size_t i = 0; i < kBigBytes; i += 4096) block[i] = static_cast<unsigned char>(i >> 12);
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < kBigBytes; i += 4096) sum += block[i];
  return sum;
}

TEST(RunMeter, AJobMeasuredAloneReadsAFreshPeakAndACheapRunKeepsTheLastOne) {
  RunMeter meter;
  meter.Begin(true);
  const std::uint64_t start_peak = os::SelfResourceUsage().peak_rss_bytes;
  static_cast<void>(TouchBigBlock());
  const os::ResourceUsage alone = meter.End();
  EXPECT_GE(alone.peak_rss_bytes, start_peak + kBigBytes / 2);

  // A cheap run does not read the peak: it reports the one read last, even
  // though the process's peak grew meanwhile.
  meter.Begin(false);
  static_cast<void>(TouchBigBlock());
  static_cast<void>(TouchBigBlock());
  const os::ResourceUsage cheap = meter.End();
  EXPECT_EQ(cheap.peak_rss_bytes, alone.peak_rss_bytes);
}

TEST(RunMeter, BothClocksCountTheWorkOfTheirRun) {
  // Work of tens of milliseconds, read each way: getrusage's reading is the
  // CPU time the process spent on it, the cheap run's elapsed time at least
  // that (more when the test was preempted). 10 ms of slack for the
  // accounting's granularity.
  RunMeter meter;
  for (const bool alone : {true, false}) {
    const std::uint64_t cpu_before = os::SelfResourceUsage().cpu_ns;
    meter.Begin(alone);
    std::uint64_t sum = 0;
    for (int k = 0; k < 4; ++k) sum += TouchBigBlock();
    const os::ResourceUsage run = meter.End();
    const std::uint64_t cpu_spent = os::SelfResourceUsage().cpu_ns - cpu_before;
    EXPECT_GT(sum, 0u);
    EXPECT_GT(cpu_spent, 20'000'000u);
    EXPECT_GE(run.cpu_ns + 10'000'000, cpu_spent) << (alone ? "alone" : "cheap");
    if (alone) {
      EXPECT_LE(run.cpu_ns, cpu_spent + 10'000'000);
    }
  }
}

}  // namespace
}  // namespace fibpool::worker
