#include "supervisor/admin/status_history.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace fibpool::supervisor {
namespace {

StatusFigures At(std::int64_t uptime_ms, std::uint64_t requests, std::uint64_t queue = 0) {
  StatusFigures f;
  f.uptime_ms = uptime_ms;
  f.requests = requests;
  f.queue_depth = queue;
  f.backlog = queue * 2;
  f.p99_us = 100 + queue;
  f.workers_busy = static_cast<unsigned>(queue % 3);
  return f;
}

TEST(StatusHistory, TheRateIsTakenBetweenTwoSamples) {
  StatusHistory h;
  h.Record(At(1000, 50));
  h.Record(At(2000, 250));
  h.Record(At(2500, 300));
  const auto samples = h.Samples();
  ASSERT_EQ(samples.size(), 3u);
  EXPECT_EQ(samples[0].requests_per_s, 0);  // nothing to take a rate from
  EXPECT_DOUBLE_EQ(samples[1].requests_per_s, 200);
  EXPECT_DOUBLE_EQ(samples[2].requests_per_s, 100);
}

TEST(StatusHistory, KeepsTheLastFiveMinutesOldestFirstAndNoMore) {
  StatusHistory h;
  const std::size_t total = StatusHistory::kCapacity + 75;
  for (std::size_t i = 0; i < total; ++i) {
    h.Record(At(static_cast<std::int64_t>(i) * 1000, i * 10, i));
  }
  EXPECT_EQ(h.size(), StatusHistory::kCapacity);
  const auto samples = h.Samples();
  ASSERT_EQ(samples.size(), StatusHistory::kCapacity);
  EXPECT_EQ(samples.front().queue_depth, 75u);
  EXPECT_EQ(samples.back().queue_depth, total - 1);
  for (std::size_t i = 1; i < samples.size(); ++i) {
    EXPECT_EQ(samples[i].uptime_ms, samples[i - 1].uptime_ms + 1000);
    EXPECT_DOUBLE_EQ(samples[i].requests_per_s, 10);
  }
}

TEST(StatusHistory, ASampleNotLaterThanThePreviousGetsNoRate) {
  StatusHistory h;
  h.Record(At(1000, 50));
  h.Record(At(1000, 90));
  EXPECT_EQ(h.Samples().back().requests_per_s, 0);
}

TEST(StatusHistory, JsonHasOneColumnPerSeriesAndTheLastTotals) {
  StatusHistory h;
  EXPECT_EQ(boost::json::parse(h.Json()).at("samples").at("queue_depth").as_array().size(), 0u);
  h.Record(At(1000, 10, 4));
  h.Record(At(2000, 30, 5));
  const boost::json::value v = boost::json::parse(h.Json());
  EXPECT_EQ(v.at("capacity").to_number<std::size_t>(), StatusHistory::kCapacity);
  EXPECT_EQ(v.at("period_ms").to_number<int>(), 1000);
  EXPECT_EQ(v.at("requests").to_number<int>(), 30);
  EXPECT_EQ(v.at("uptime_ms").to_number<int>(), 2000);
  const auto& samples = v.at("samples").as_object();
  EXPECT_EQ(samples.at("uptime_ms").as_array(), (boost::json::array{1000, 2000}));
  EXPECT_EQ(samples.at("queue_depth").as_array(), (boost::json::array{4, 5}));
  EXPECT_EQ(samples.at("backlog").as_array(), (boost::json::array{8, 10}));
  EXPECT_EQ(samples.at("p99_us").as_array(), (boost::json::array{104, 105}));
  EXPECT_EQ(samples.at("workers_busy").as_array(), (boost::json::array{1, 2}));
  EXPECT_EQ(samples.at("requests_per_s").as_array().at(1).to_number<double>(), 20.0);
}

}  // namespace
}  // namespace fibpool::supervisor
