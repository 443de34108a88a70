#include "bench/soak_stats.h"

#include <gtest/gtest.h>

namespace fibpool::bench {
namespace {

TEST(SoakStatsTest, PoolViewHasBothLanesPidsAndTheTarget) {
  const auto view = PoolViewFromStats(
      R"({"workers":[{"pid":101,"state":"idle"},{"pid":102,"state":"busy"}],)"
      R"("reserve_workers":[{"pid":103,"state":"idle"}],"workers_target":2,"worker_crashes":5})");
  ASSERT_TRUE(view);
  EXPECT_EQ(view->workers, (std::vector<pid_t>{101, 102}));
  EXPECT_EQ(view->reserve_workers, (std::vector<pid_t>{103}));
  EXPECT_EQ(view->workers_target, 2u);
  EXPECT_EQ(view->worker_crashes, 5u);
  EXPECT_FALSE(view->starting);
}

TEST(SoakStatsTest, AStartingWorkerInEitherLaneIsSeen) {
  const auto view = PoolViewFromStats(
      R"({"workers":[{"pid":101,"state":"idle"}],)"
      R"("reserve_workers":[{"pid":103,"state":"starting"}],"workers_target":3})");
  ASSERT_TRUE(view);
  EXPECT_TRUE(view->starting);
  EXPECT_EQ(view->workers_target, 3u);
}

TEST(SoakStatsTest, NotStatsIsNoView) {
  EXPECT_FALSE(PoolViewFromStats("832040"));
  EXPECT_FALSE(PoolViewFromStats("ERR busy"));
  EXPECT_FALSE(PoolViewFromStats(R"({"workers":[]})"));
  EXPECT_FALSE(PoolViewFromStats(R"({"workers":[], "workers_target":)"));
}

}  // namespace
}  // namespace fibpool::bench
