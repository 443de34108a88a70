#include "supervisor/config/descriptor_budget.h"

#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

namespace fibpool::supervisor {
namespace {

Config Settings(unsigned workers, unsigned reserve, unsigned io_threads, std::size_t connections) {
  Config c;
  c.workers = workers;
  c.reserve_workers = reserve;
  c.io_threads = io_threads;
  c.max_connections = connections;
  return c;
}

TEST(DescriptorBudget, OwnDescriptorsCountStreamsListenerLoopSignalsWorkersTransientAndSpare) {
  // 3 streams + 1 listener + 3 (one loop) + 2 signal pipe + 2 libraries'
  // + 2 x 3 workers + transient + 1 spare.
  EXPECT_EQ(OwnDescriptors(Settings(2, 1, 1, 100)),
            3u + 1 + 3 + 2 + 2 + 6 + kTransientDescriptors + 1);
}

TEST(DescriptorBudget, EachWorkerIoThreadAndOperatorPortAddsItsShare) {
  const std::uint64_t base = OwnDescriptors(Settings(2, 1, 1, 100));
  EXPECT_EQ(OwnDescriptors(Settings(3, 1, 1, 100)), base + 2);
  EXPECT_EQ(OwnDescriptors(Settings(2, 2, 1, 100)), base + 2);
  // io_threads 4: four loops besides the pool's.
  EXPECT_EQ(OwnDescriptors(Settings(2, 1, 4, 100)), base + 4 * 3);
  Config metrics = Settings(2, 1, 1, 100);
  metrics.metrics_port = 0;
  EXPECT_EQ(OwnDescriptors(metrics), base + 1 + kOperatorConnections);
  metrics.agent_port = 0;
  EXPECT_EQ(OwnDescriptors(metrics), base + 2 + kOperatorConnections);
}

TEST(DescriptorBudget, ALimitThatCoversEverythingKeepsMaxConnections) {
  const Config c = Settings(2, 1, 1, 10'000);
  const std::uint64_t needed = 10'000 + OwnDescriptors(c);
  for (const std::uint64_t limit :
       {needed, needed + 1, std::uint64_t{1} << 20, std::numeric_limits<std::uint64_t>::max()}) {
    const DescriptorBudget b = PlanDescriptors(c, limit);
    EXPECT_FALSE(b.short_of_limit()) << limit;
    EXPECT_EQ(b.max_connections, 10'000u) << limit;
    EXPECT_EQ(b.needed, needed);
    EXPECT_EQ(b.open_file_limit, limit);
  }
}

TEST(DescriptorBudget, AShortLimitLowersTheConnectionLimitToWhatFits) {
  const Config c = Settings(1, 1, 1, 10'000);
  const std::uint64_t own = OwnDescriptors(c);
  const DescriptorBudget b = PlanDescriptors(c, own + 25);
  EXPECT_TRUE(b.short_of_limit());
  EXPECT_EQ(b.needed, own + 10'000);
  EXPECT_EQ(b.max_connections, 25u);
  // One descriptor short of max_connections.
  EXPECT_EQ(PlanDescriptors(c, own + 9'999).max_connections, 9'999u);
}

TEST(DescriptorBudget, ALimitBelowFibpoolsOwnNeedsStillAllowsOneConnection) {
  const Config c = Settings(4, 1, 1, 100);
  EXPECT_EQ(PlanDescriptors(c, OwnDescriptors(c)).max_connections, 1u);
  EXPECT_EQ(PlanDescriptors(c, 10).max_connections, 1u);
  EXPECT_EQ(PlanDescriptors(c, 0).max_connections, 1u);
  EXPECT_TRUE(PlanDescriptors(c, 10).short_of_limit());
}

}  // namespace
}  // namespace fibpool::supervisor
