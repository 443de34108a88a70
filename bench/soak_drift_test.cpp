#include "bench/soak_drift.h"

#include <gtest/gtest.h>

namespace fibpool::bench {
namespace {

constexpr std::uint64_t kMiB = 1 << 20;

// 100 samples under load, one a second, RssAnon `anon(t)`.
template <typename F>
std::vector<SoakSample> Series(F anon) {
  std::vector<SoakSample> s;
  for (int t = 1; t <= 100; ++t) {
    SoakSample x;
    x.t_s = t;
    x.rss_anon_bytes = anon(t);
    x.rss_bytes = x.rss_anon_bytes + 20 * kMiB;
    s.push_back(x);
  }
  return s;
}

SoakEnd CleanEnd() {
  SoakEnd e;
  e.before = {20, 1'200'000, 2};
  e.after = e.before;
  e.exit_status = 0;
  return e;
}

const DriftCheck* Find(const DriftVerdict& v, const std::string& start) {
  for (const auto& c : v.checks) {
    if (c.what.rfind(start, 0) == 0) return &c;
  }
  return nullptr;
}

TEST(SoakDriftTest, FlatMemoryAndEverythingBackAtRestPasses) {
  const auto v = JudgeDrift(Series([](int) { return 30 * kMiB; }), CleanEnd(), DriftLimits{});
  EXPECT_TRUE(v.ok());
  EXPECT_EQ(v.rss_anon_warm, 30.0 * kMiB);
  EXPECT_EQ(v.rss_anon_end, 30.0 * kMiB);
}

TEST(SoakDriftTest, DescriptorsWithinTheToleranceOnlyPass) {
  SoakEnd e = CleanEnd();
  e.after.fds = e.before.fds + 2;
  EXPECT_TRUE(JudgeDrift(Series([](int) { return kMiB; }), e, DriftLimits{}).ok());
  e.after.fds = e.before.fds + 3;
  const auto v = JudgeDrift(Series([](int) { return kMiB; }), e, DriftLimits{});
  EXPECT_FALSE(v.ok());
  EXPECT_FALSE(Find(v, "supervisor descriptors")->ok);
}

TEST(SoakDriftTest, ASegmentLeftAtRestOrAfterStopFails) {
  SoakEnd e = CleanEnd();
  e.after.shm_segments = 3;
  e.after.shm_bytes += 4096;
  EXPECT_FALSE(Find(JudgeDrift(Series([](int) { return kMiB; }), e, {}), "/dev/shm")->ok);
  e = CleanEnd();
  e.segments_after_stop = 1;
  EXPECT_FALSE(JudgeDrift(Series([](int) { return kMiB; }), e, {}).ok());
}

TEST(SoakDriftTest, AWorkerLeftOrABadExitFails) {
  SoakEnd e = CleanEnd();
  e.workers_after_stop = 1;
  EXPECT_FALSE(Find(JudgeDrift(Series([](int) { return kMiB; }), e, {}), "worker processes")->ok);
  e = CleanEnd();
  e.exit_status = 137;
  EXPECT_FALSE(Find(JudgeDrift(Series([](int) { return kMiB; }), e, {}), "fibpool exit")->ok);
}

TEST(SoakDriftTest, MemoryGrowingPastTheToleranceFails) {
  // 1 MiB a second: the last tenth is ~80 MiB above the second.
  const auto leak = JudgeDrift(Series([](int t) { return 30 * kMiB + t * kMiB; }), CleanEnd(), {});
  EXPECT_FALSE(leak.ok());
  EXPECT_NEAR(leak.rss_anon_end - leak.rss_anon_warm, 80.0 * kMiB, 2.0 * kMiB);
  // The warm-up's own growth (the first tenth) does not count.
  const auto warmup =
      JudgeDrift(Series([](int t) { return t <= 10 ? t * 5 * kMiB : 60 * kMiB; }), CleanEnd(), {});
  EXPECT_TRUE(warmup.ok());
}

TEST(SoakDriftTest, SamplesAfterTheLoadDoNotMakeTheWindows) {
  auto s = Series([](int) { return 30 * kMiB; });
  SoakSample rest;
  rest.t_s = 130;
  rest.load = false;
  rest.rss_anon_bytes = 300 * kMiB;
  s.push_back(rest);
  EXPECT_TRUE(JudgeDrift(s, CleanEnd(), {}).ok());
}

TEST(SoakDriftTest, TooFewSamplesFailSayingSo) {
  std::vector<SoakSample> s(3);
  for (int i = 0; i < 3; ++i) s[i].t_s = i + 1;
  const auto v = JudgeDrift(s, CleanEnd(), {});
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.checks.back().before, "too few samples");
}

TEST(SoakSampleTest, NearestRankPercentiles) {
  std::vector<double> v;
  for (int i = 1; i <= 100; ++i) v.push_back(101 - i);
  EXPECT_EQ(NearestRank(v, 0.99), 99);
  EXPECT_EQ(NearestRank(v, 0.5), 50);
  EXPECT_EQ(NearestRank(v, 1.0), 100);
  EXPECT_EQ(NearestRank({7}, 0.99), 7);
  EXPECT_EQ(NearestRank({}, 0.99), 0);
}

}  // namespace
}  // namespace fibpool::bench
