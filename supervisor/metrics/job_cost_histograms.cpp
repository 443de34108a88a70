#include "supervisor/metrics/job_cost_histograms.h"

namespace fibpool::supervisor {

std::size_t JobCostHistograms::DecadeOf(std::uint64_t n) {
  std::size_t decade = 0;
  for (; n >= 10 && decade + 1 < kDecades; n /= 10) ++decade;
  return decade;
}

std::string JobCostHistograms::DecadeLabel(std::size_t decade) {
  return "1e" + std::to_string(decade);
}

void JobCostHistograms::Record(ipc::Algorithm algorithm, std::uint64_t n, std::uint64_t cpu_ns,
                               std::uint64_t peak_rss_bytes) {
  Cell& cell = cells_[ipc::AlgorithmIndex(algorithm)][DecadeOf(n)];
  cell.cpu.Record(cpu_ns);
  cell.peak_rss.Observe(static_cast<double>(peak_rss_bytes));
}

}  // namespace fibpool::supervisor
