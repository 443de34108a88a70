// Shared-memory segments and result buffers: their errors are values.
#include "os/shared_segment.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

#include "ipc/ipc_error.h"
#include "ipc/result_buffer.h"

namespace fibpool::ipc {
namespace {

// A name of this test's own; a leftover of an earlier run is removed first.
std::string TestSegmentName(const char* prefix = "fibpool-test.") {
  std::string name = prefix + std::to_string(::getpid()) + ".segment." +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name();
  os::SharedSegment::Remove(name);
  return name;
}

TEST(SharedSegment, OpeningASegmentThatDoesNotExistIsNoSuchFile) {
  const auto segment =
      os::SharedSegment::Open(TestSegmentName(), os::SharedSegment::Access::kReadOnly);
  ASSERT_FALSE(segment);
  EXPECT_EQ(segment.error(), std::errc::no_such_file_or_directory);
}

TEST(SharedSegment, CreatingANameThatExistsIsFileExistsAndLeavesTheOtherAlone) {
  const std::string name = TestSegmentName();
  auto first = os::SharedSegment::Create(name, 4096);
  ASSERT_TRUE(first) << first.error().message();
  const auto second = os::SharedSegment::Create(name, 4096);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error(), std::errc::file_exists);
  EXPECT_TRUE(std::filesystem::exists("/dev/shm/" + name));
}

TEST(SharedSegment, WhatTheCreatorWritesTheOpenerReadsAndOnlyTheCreatorUnlinks) {
  const std::string name = TestSegmentName();
  {
    auto created = os::SharedSegment::Create(name, 4096);
    ASSERT_TRUE(created) << created.error().message();
    std::memcpy(created->data(), "fib", 4);
    {
      auto opened = os::SharedSegment::Open(name, os::SharedSegment::Access::kReadOnly);
      ASSERT_TRUE(opened) << opened.error().message();
      EXPECT_EQ(opened->size(), 4096u);
      EXPECT_STREQ(static_cast<const char*>(opened->data()), "fib");
    }
    EXPECT_TRUE(std::filesystem::exists("/dev/shm/" + name));
  }
  EXPECT_FALSE(std::filesystem::exists("/dev/shm/" + name));
}

TEST(ResultBuffer, TakingABufferThatIsNotFibpoolsIsABadName) {
  EXPECT_EQ(TakeResultBuffer("other.1.r1", 1).error(), IpcError::kBadSegmentName);
  EXPECT_EQ(TakeResultBuffer("fibpool.1/../x", 1).error(), IpcError::kBadSegmentName);
}

TEST(ResultBuffer, TakingAVanishedBufferIsNoSuchFile) {
  EXPECT_EQ(TakeResultBuffer(TestSegmentName("fibpool."), 1).error(),
            std::errc::no_such_file_or_directory);
}

TEST(ResultBuffer, ABufferShorterThanAnnouncedIsRefusedAndUnlinked) {
  const std::string name = TestSegmentName("fibpool.");
  auto buffer = os::SharedSegment::Create(name, 4096);
  ASSERT_TRUE(buffer) << buffer.error().message();
  buffer->Disown();
  EXPECT_EQ(TakeResultBuffer(name, 4097).error(), IpcError::kShortResultBuffer);
  EXPECT_FALSE(std::filesystem::exists("/dev/shm/" + name));
}

TEST(ResultBuffer, ABufferIsTakenOverAndItsNameRemovedAtOnce) {
  const std::string name = TestSegmentName("fibpool.");
  auto buffer = os::SharedSegment::Create(name, 4096);
  ASSERT_TRUE(buffer) << buffer.error().message();
  std::memcpy(buffer->data(), "12586269025", 11);
  buffer->Disown();
  const auto taken = TakeResultBuffer(name, 11);
  ASSERT_TRUE(taken) << taken.error().message();
  EXPECT_EQ(std::string(static_cast<const char*>(taken->data()), 11), "12586269025");
  EXPECT_FALSE(std::filesystem::exists("/dev/shm/" + name));
}

}  // namespace
}  // namespace fibpool::ipc
