#include "supervisor/config/descriptor_budget.h"

#include <algorithm>

namespace fibpool::supervisor {

namespace {

constexpr std::uint64_t kStandardStreams = 3;
constexpr std::uint64_t kPerEventLoop = 3;
constexpr std::uint64_t kSignalPipe = 2;
constexpr std::uint64_t kLibraries = 2;
constexpr std::uint64_t kPerWorker = 2;
constexpr std::uint64_t kSpare = 1;

}  // namespace

std::uint64_t OwnDescriptors(const Config& config) {
  const bool metrics = config.metrics_port >= 0;
  const bool agent = config.agent_port >= 0;
  const std::uint64_t listeners = 1 + (metrics ? 1 : 0) + (agent ? 1 : 0);
  const std::uint64_t event_loops = 1 + (config.io_threads > 1 ? config.io_threads : 0);
  const std::uint64_t workers = std::uint64_t{config.workers} + config.reserve_workers;
  return kStandardStreams + listeners + kPerEventLoop * event_loops + kSignalPipe + kLibraries +
         kPerWorker * workers + kTransientDescriptors + kSpare +
         (metrics || agent ? kOperatorConnections : 0);
}

DescriptorBudget PlanDescriptors(const Config& config, std::uint64_t open_file_limit) {
  const std::uint64_t own = OwnDescriptors(config);
  DescriptorBudget budget;
  budget.open_file_limit = open_file_limit;
  budget.needed = own + config.max_connections;
  const std::uint64_t room = open_file_limit > own ? open_file_limit - own : 0;
  budget.max_connections =
      static_cast<std::size_t>(std::clamp<std::uint64_t>(room, 1, config.max_connections));
  return budget;
}

}  // namespace fibpool::supervisor
