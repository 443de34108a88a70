// The one error convention: errno and fibpool's own conditions as
// boost::system::error_code values in a Result.
#include "os/posix_error.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <system_error>

#include "ipc/ipc_error.h"

namespace fibpool::ipc {
namespace {

TEST(PosixError, AnErrnoValueBecomesTheSystemCodeThatMeansIt) {
  const boost::system::error_code ec = os::PosixError(ENOENT);
  EXPECT_EQ(ec.value(), ENOENT);
  EXPECT_EQ(&ec.category(), &boost::system::system_category());
  EXPECT_EQ(ec, std::errc::no_such_file_or_directory);
  EXPECT_FALSE(os::PosixError(0));
}

TEST(PosixError, ErrnoErrorReadsTheErrnoOfTheCallThatJustFailed) {
  ASSERT_EQ(::close(-1), -1);
  EXPECT_EQ(os::ErrnoError(), std::errc::bad_file_descriptor);
}

TEST(PosixError, AResultHoldsEitherTheValueOrTheError) {
  const os::Result<int> good = 7;
  ASSERT_TRUE(good);
  EXPECT_EQ(*good, 7);
  const os::Result<int> bad = os::PosixError(EACCES);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), std::errc::permission_denied);
}

TEST(IpcError, CodesAreInTheirOwnCategoryWithAMessageEach) {
  const boost::system::error_code ec = IpcError::kVersionMismatch;
  EXPECT_EQ(std::string(ec.category().name()), "fibpool.ipc");
  EXPECT_EQ(ec, IpcError::kVersionMismatch);
  EXPECT_NE(ec, IpcError::kBadMagic);
  EXPECT_EQ(ec.message(), "job queue layout version mismatch");
  // Not an errno: the same number in the system category is another error.
  EXPECT_NE(ec, os::PosixError(ec.value()));
}

}  // namespace
}  // namespace fibpool::ipc
