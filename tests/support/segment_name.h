// The name of a shared-memory segment a test makes itself (not through a
// fibpool): the test process's pid, what the segment is for, and the running
// test's suite and name, so that tests run in parallel (ctest -j, one process
// each) never share a segment. A leftover of an earlier run under the same
// name is removed first.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include <gtest/gtest.h>

namespace fibpool::testing {

// "<prefix><pid>.<what>.<Suite>.<Test>" ('/' of a parameterised test's name
// made '.'). The default prefix keeps it apart from fibpool's own
// "fibpool.<pid>...." names (ipc/segment_names.h); a test of those passes
// "fibpool.".
inline std::string TestSegmentName(std::string_view what,
                                   std::string_view prefix = "fibpool-test.") {
  std::string name = std::string(prefix) + std::to_string(::getpid()) + "." + std::string(what);
  if (const auto* test = ::testing::UnitTest::GetInstance()->current_test_info()) {
    name += std::string(".") + test->test_suite_name() + "." + test->name();
  }
  std::replace(name.begin(), name.end(), '/', '.');
  std::error_code ignored;
  std::filesystem::remove("/dev/shm/" + name, ignored);
  return name;
}

}  // namespace fibpool::testing
