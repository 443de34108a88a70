#include "ipc/worker_args.h"

#include <gtest/gtest.h>

#include "ipc/ipc_error.h"
#include "supervisor/pool/pool_options.h"

namespace fibpool::ipc {
namespace {

WorkerArgs Example() {
  WorkerArgs a;
  a.segment = "fibpool.42.queue";
  a.cell = 7;
  a.supervisor_pid = 42;
  a.result_fd = 5;
  a.max_n = 123'456;
  a.inline_limit = 99;
  a.spin = std::chrono::microseconds(17);
  a.max_jobs = 3;
  a.max_memory_mb = 64;
  a.nice = 5;
  a.slice = std::chrono::microseconds(100);
  a.log_level = "debug";
  return a;
}

TEST(WorkerArgs, WhatIsBuiltParsesBackToTheSameArguments) {
  const auto parsed = ParseWorkerArgs(ToCommandLine(Example()));
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(*parsed, Example());
}

TEST(WorkerArgs, OptionalFieldsTakeTheSharedDefaults) {
  const auto parsed =
      ParseWorkerArgs({"--segment", "s", "--cell", "1", "--supervisor-pid", "9", "--max-n", "100"});
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(parsed->result_fd, kResultFd);
  EXPECT_EQ(parsed->spin, kDefaultWorkerSpin);
  EXPECT_EQ(parsed->inline_limit, kInlineResultLimit);
  EXPECT_EQ(parsed->log_level, kDefaultLogLevel);
}

TEST(WorkerArgs, MissingRequiredUnknownOrMalformedArgumentsAreRefusedWithTheirError) {
  EXPECT_EQ(ParseWorkerArgs({"--segment", "s", "--cell", "1"}).error(), IpcError::kMissingArgument);
  EXPECT_EQ(ParseWorkerArgs({"--colour", "blue"}).error(), IpcError::kUnknownArgument);
  EXPECT_EQ(ParseWorkerArgs({"--cell", "x1"}).error(), IpcError::kBadArgumentValue);
  EXPECT_EQ(ParseWorkerArgs({"--cell"}).error(), IpcError::kBadArgumentValue);
  EXPECT_EQ(ParseWorkerArgs({"cell", "1"}).error(), IpcError::kUnexpectedArgument);
}

TEST(WorkerArgs, MainLaneWorkersGetTheNiceValueAndReserveOnesTheShortSlice) {
  supervisor::Config config;
  config.worker_nice = 7;
  config.max_n = 5000;
  const supervisor::PoolOptions options{config, "/bin/true"};
  const WorkerArgs main =
      WorkerArgsFor(options, supervisor::LaneKind::kMain, "fibpool.1.queue", 2, 1);
  EXPECT_EQ(main.nice, 7);
  EXPECT_EQ(main.slice.count(), 0);
  EXPECT_EQ(main.max_n, 5000u);
  EXPECT_EQ(main.cell, 2u);
  const WorkerArgs reserve =
      WorkerArgsFor(options, supervisor::LaneKind::kReserve, "fibpool.1.reserve", 0, 1);
  EXPECT_EQ(reserve.nice, 0);
  EXPECT_GT(reserve.slice.count(), 0);
  EXPECT_EQ(reserve.segment, "fibpool.1.reserve");
}

}  // namespace
}  // namespace fibpool::ipc
