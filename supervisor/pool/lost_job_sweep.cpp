#include "supervisor/pool/lost_job_sweep.h"

namespace fibpool::supervisor {

std::vector<std::uint64_t> LostJobSweep::Sweep(const std::vector<std::uint64_t>& unaccounted,
                                               std::uint64_t now_ns) {
  std::unordered_map<std::uint64_t, std::uint64_t> still;
  std::vector<std::uint64_t> lost;
  for (const std::uint64_t id : unaccounted) {
    const auto it = since_.find(id);
    const std::uint64_t since = it == since_.end() ? now_ns : it->second;
    if (now_ns - since >= static_cast<std::uint64_t>(grace_.count())) {
      lost.push_back(id);
    } else {
      still.emplace(id, since);
    }
  }
  since_ = std::move(still);
  return lost;
}

}  // namespace fibpool::supervisor
