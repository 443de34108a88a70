// What finished jobs cost in their worker (ipc::ResultMessage: CPU time and
// the worker's peak resident size after the job), as histograms by algorithm
// and by decade of N, for /metrics.
//
// Bounded: 2 algorithms x kDecades decades x 2 histograms, however many
// distinct N clients ask for. The decade of N is the power of ten at or below
// it, "1e0" (N < 10) to "1e9" (every N >= 10^9).
//
// Not thread-safe: owned by the supervisor's event loop.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "ipc/job.h"
#include "supervisor/metrics/histogram.h"

namespace fibpool::supervisor {

class JobCostHistograms {
 public:
  static constexpr std::size_t kDecades = 10;
  // Peak resident size: 8 MiB (an idle worker) to 16 GiB, doubling.
  static constexpr std::array<double, 12> kRssBoundsBytes = {
      8.0 * (1 << 20),   16.0 * (1 << 20),  32.0 * (1 << 20),  64.0 * (1 << 20),
      128.0 * (1 << 20), 256.0 * (1 << 20), 512.0 * (1 << 20), 1.0 * (1 << 30),
      2.0 * (1 << 30),   4.0 * (1 << 30),   8.0 * (1 << 30),   16.0 * (1 << 30)};

  // floor(log10(n)), 0 for n < 10, at most kDecades - 1.
  static std::size_t DecadeOf(std::uint64_t n);
  // The label value of a decade: "1e0" ... "1e9".
  static std::string DecadeLabel(std::size_t decade);

  void Record(ipc::Algorithm algorithm, std::uint64_t n, std::uint64_t cpu_ns,
              std::uint64_t peak_rss_bytes);

  // By ipc::AlgorithmIndex() and DecadeOf().
  const DurationHistogram& cpu(std::size_t algorithm, std::size_t decade) const {
    return cells_[algorithm][decade].cpu;
  }
  const Histogram& peak_rss(std::size_t algorithm, std::size_t decade) const {
    return cells_[algorithm][decade].peak_rss;
  }

 private:
  struct Cell {
    DurationHistogram cpu;
    Histogram peak_rss{kRssBoundsBytes};
  };
  std::array<std::array<Cell, kDecades>, ipc::kAlgorithmCount> cells_;  // by ipc::AlgorithmIndex()
};

}  // namespace fibpool::supervisor
