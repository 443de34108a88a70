// Shared-memory segments and result buffers with real /dev/shm segments: their
// errors are values, their names and modes are what the owners rely on.
#include "os/shared_segment.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include <boost/interprocess/shared_memory_object.hpp>

#include "ipc/ipc_error.h"
#include "ipc/result_buffer.h"
#include "ipc/segment_names.h"
#include "tests/support/exit_status.h"
#include "tests/support/segment_name.h"
#include "tests/support/server_process.h"

namespace fibpool::ipc {
namespace {

namespace bip = boost::interprocess;

std::string TestSegmentName(const char* prefix = "fibpool-test.") {
  return testing::TestSegmentName("segment", prefix);
}

bool Exists(const std::string& name) { return std::filesystem::exists("/dev/shm/" + name); }

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
  std::memcpy(first->data(), "first", 6);
  const auto second = os::SharedSegment::Create(name, 4096);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error(), std::errc::file_exists);
  // The failed Create did not unlink what it did not make.
  ASSERT_TRUE(Exists(name));
  const auto opened = os::SharedSegment::Open(name, os::SharedSegment::Access::kReadOnly);
  ASSERT_TRUE(opened) << opened.error().message();
  EXPECT_STREQ(static_cast<const char*>(opened->data()), "first");
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
    EXPECT_TRUE(Exists(name));
  }
  EXPECT_FALSE(Exists(name));
}

TEST(SharedSegment, AMovedSegmentKeepsItsMappingAndTheMovedFromOneIsEmpty) {
  const std::string name = TestSegmentName();
  auto created = os::SharedSegment::Create(name, 4096);
  ASSERT_TRUE(created) << created.error().message();
  std::memcpy(created->data(), "fib", 4);
  os::SharedSegment moved = std::move(*created);
  EXPECT_TRUE(created->empty());
  EXPECT_EQ(created->size(), 0u);
  ASSERT_FALSE(moved.empty());
  EXPECT_STREQ(static_cast<const char*>(moved.data()), "fib");
  *created = os::SharedSegment();  // the empty one unlinks nothing
  EXPECT_TRUE(Exists(name));
  moved = os::SharedSegment();  // the owner does
  EXPECT_FALSE(Exists(name));
}

TEST(SharedSegment, ADisownedSegmentOutlivesItsCreator) {
  const std::string name = TestSegmentName();
  {
    auto created = os::SharedSegment::Create(name, 4096);
    ASSERT_TRUE(created) << created.error().message();
    created->Disown();
  }
  EXPECT_TRUE(Exists(name));
  EXPECT_TRUE(os::SharedSegment::Remove(name));
  EXPECT_FALSE(os::SharedSegment::Remove(name));
}

TEST(SharedSegment, ASegmentIsCreatedMode0600WhateverTheUmask) {
  const std::string name = TestSegmentName();
  const mode_t umask_before = ::umask(0);
  auto created = os::SharedSegment::Create(name, 4096);
  ::umask(umask_before);
  ASSERT_TRUE(created) << created.error().message();
  struct stat st {};
  ASSERT_EQ(::stat(("/dev/shm/" + name).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST(SharedSegment, ASegmentHoldsNoDescriptorOnceMapped) {
  const std::string name = TestSegmentName();
  const int before = testing::OpenFdCount();
  auto created = os::SharedSegment::Create(name, 4096);
  ASSERT_TRUE(created) << created.error().message();
  auto opened = os::SharedSegment::Open(name, os::SharedSegment::Access::kReadWrite);
  ASSERT_TRUE(opened) << opened.error().message();
  EXPECT_EQ(testing::OpenFdCount(), before);
}

// While Create and Open hold the descriptor (until the mapping is made),
// a process started by another thread must not inherit it: the descriptors
// Boost.Interprocess opens, as Create and Open ask for them, are close-on-exec.
TEST(SharedSegment, TheDescriptorsBoostInterprocessOpensAreCloseOnExec) {
  const std::string name = TestSegmentName();
  const bip::shared_memory_object created(bip::create_only, name.c_str(), bip::read_write,
                                          bip::permissions(0600));
  const bip::shared_memory_object opened(bip::open_only, name.c_str(), bip::read_only);
  for (const auto* shm : {&created, &opened}) {
    const int flags = ::fcntl(shm->get_mapping_handle().handle, F_GETFD);
    ASSERT_NE(flags, -1) << std::strerror(errno);
    EXPECT_TRUE(flags & FD_CLOEXEC);
  }
  bip::shared_memory_object::remove(name.c_str());
}

// Exit codes of the child below.
constexpr int kNoSpaceAndNoName = 0;
constexpr int kNoPrivateShm = 77;

// In a private mount namespace whose /dev/shm is a 1 MiB tmpfs (root only):
// a segment bigger than that fails at Create with ENOSPC, and the name it had
// made is gone again.
int CreateTooBigInATinyDevShm(const std::string& name) {
  if (::unshare(CLONE_NEWNS) != 0 ||
      ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
      ::mount("tmpfs", "/dev/shm", "tmpfs", 0, "size=1m") != 0) {
    return kNoPrivateShm;
  }
  const auto segment = os::SharedSegment::Create(name, 4u << 20);
  if (segment) return 1;
  if (segment.error() != std::errc::no_space_on_device) return 2;
  if (Exists(name)) return 3;
  return kNoSpaceAndNoName;
}

TEST(SharedSegment, ASegmentTheTmpfsCannotHoldFailsAtCreateWithNoSpaceAndLeavesNoName) {
  const std::string name = TestSegmentName();
  const pid_t child = ::fork();
  if (child == 0) ::_exit(CreateTooBigInATinyDevShm(name));
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  const int code = testing::ExitCodeOf(status);
  if (code == kNoPrivateShm) GTEST_SKIP() << "cannot mount a private /dev/shm (needs root)";
  EXPECT_EQ(code, kNoSpaceAndNoName) << "1: created, 2: another error, 3: the name was left";
}

TEST(SegmentNames, AResultBufferIsNamedForItsSupervisorJobAndWorker) {
  EXPECT_EQ(ResultSegmentName(1234, 56, 789), "fibpool.1234.r56.w789");
}

TEST(SegmentNames, ADeadSupervisorsResultBufferIsRemovedAndALiveOnesIsKept) {
  const pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  int status = 0;
  ASSERT_EQ(::waitpid(dead, &status, 0), dead);
  const std::string stale = ResultSegmentName(dead, 1, dead);
  const std::string live = ResultSegmentName(::getpid(), 1, ::getpid());
  os::SharedSegment::Remove(live);
  auto stale_segment = os::SharedSegment::Create(stale, 4096);
  ASSERT_TRUE(stale_segment) << stale_segment.error().message();
  stale_segment->Disown();
  auto live_segment = os::SharedSegment::Create(live, 4096);
  ASSERT_TRUE(live_segment) << live_segment.error().message();
  const std::vector<std::string> removed = RemoveStaleSegments();
  EXPECT_NE(std::find(removed.begin(), removed.end(), stale), removed.end());
  EXPECT_FALSE(Exists(stale));
  EXPECT_TRUE(Exists(live));
}

TEST(ResultBuffer, ANameOtherThanTheExpectedOneIsRefusedWithoutOpeningOrUnlinkingIt) {
  // Stands for the job queue, and for another job's buffer: real segments
  // that a faulty worker names instead of its own result buffer.
  const std::string queue = TestSegmentName("fibpool.");
  const std::string other_job = ResultSegmentName(::getpid(), 2, ::getpid());
  os::SharedSegment::Remove(other_job);
  const std::string expected = ResultSegmentName(::getpid(), 1, ::getpid());
  for (const std::string& name : {queue, other_job}) {
    auto segment = os::SharedSegment::Create(name, 4096);
    ASSERT_TRUE(segment) << segment.error().message();
    std::memcpy(segment->data(), "kept", 5);
    const auto taken = TakeResultBuffer(name, expected, 4);
    ASSERT_FALSE(taken);
    EXPECT_EQ(taken.error(), IpcError::kBadSegmentName);
    ASSERT_TRUE(Exists(name)) << name;
    EXPECT_STREQ(static_cast<const char*>(segment->data()), "kept");
  }
  EXPECT_EQ(TakeResultBuffer("fibpool.1/../x", expected, 1).error(), IpcError::kBadSegmentName);
}

TEST(ResultBuffer, TakingAVanishedBufferIsNoSuchFile) {
  const std::string name = TestSegmentName("fibpool.");
  EXPECT_EQ(TakeResultBuffer(name, name, 1).error(), std::errc::no_such_file_or_directory);
}

TEST(ResultBuffer, ABufferShorterThanAnnouncedIsRefusedAndUnlinked) {
  const std::string name = TestSegmentName("fibpool.");
  auto buffer = os::SharedSegment::Create(name, 4096);
  ASSERT_TRUE(buffer) << buffer.error().message();
  buffer->Disown();
  EXPECT_EQ(TakeResultBuffer(name, name, 4097).error(), IpcError::kShortResultBuffer);
  EXPECT_FALSE(Exists(name));
}

TEST(ResultBuffer, ABufferIsTakenOverAndItsNameRemovedAtOnce) {
  const std::string name = TestSegmentName("fibpool.");
  auto buffer = os::SharedSegment::Create(name, 4096);
  ASSERT_TRUE(buffer) << buffer.error().message();
  std::memcpy(buffer->data(), "12586269025", 11);
  buffer->Disown();
  const auto taken = TakeResultBuffer(name, name, 11);
  ASSERT_TRUE(taken) << taken.error().message();
  EXPECT_EQ(std::string(static_cast<const char*>(taken->data()), 11), "12586269025");
  EXPECT_FALSE(Exists(name));
}

}  // namespace
}  // namespace fibpool::ipc
