#include "worker/job_cost_share.h"

#include <algorithm>

#include "ipc/job_queue.h"

namespace fibpool::worker {

bool MeasuredAlone(const ipc::Job& job) { return job.cost_ns >= ipc::kBatchCostNs; }

void ShareCost(std::span<const ipc::Job> jobs, std::uint64_t cpu_ns, std::uint64_t peak_rss_bytes,
               std::span<JobOutcome> outcomes) {
  if (jobs.empty()) return;
  double total = 0;
  for (const ipc::Job& job : jobs) total += static_cast<double>(job.cost_ns);
  std::uint64_t given = 0;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    ipc::ResultMessage& m = outcomes[i].message;
    m.peak_rss_bytes = peak_rss_bytes;
    if (i + 1 == jobs.size()) {
      m.cpu_ns = cpu_ns - given;  // the remainder: the shares sum to cpu_ns
      break;
    }
    const double part = total > 0 ? static_cast<double>(jobs[i].cost_ns) / total
                                  : 1.0 / static_cast<double>(jobs.size());
    m.cpu_ns =
        std::min(cpu_ns - given, static_cast<std::uint64_t>(part * static_cast<double>(cpu_ns)));
    given += m.cpu_ns;
  }
}

}  // namespace fibpool::worker
