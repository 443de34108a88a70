// One fibpool for all the tests of a suite that only ask and read: no signal,
// no kill, no reload, no limit exhausted, no counter a later test relies on
// left changed (a test that reads counters compares them with their values
// before it). The suite's fixture derives from SharedServer<itself> and gives
// the server's arguments in a static Args():
//
//   class Values : public SharedServer<Values> {
//    public:
//     static std::vector<std::string> Args() { return {"--workers", "2"}; }
//   };
//   TEST_F(Values, ...) { LineClient client(server().port()); ... }
//
// Such a suite runs as one ctest test (tests/CMakeLists.txt,
// SHARED_SERVER_SUITES): run test by test, each would start its own server.
// After each test the log lines the server wrote meanwhile are checked for a
// sanitizer report, so that a finding fails the test that caused it; the
// rest when the suite ends and the server is stopped.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/server_process.h"

namespace fibpool::testing {

template <class Suite>
class SharedServer : public ::testing::Test {
 public:
  static void SetUpTestSuite() { server_ = std::make_unique<ServerProcess>(Suite::Args()); }
  static void TearDownTestSuite() { server_.reset(); }

 protected:
  void SetUp() override {
    ASSERT_TRUE(server_) << "the suite's fibpool did not start";
    ASSERT_TRUE(ProcessAlive(server_->pid())) << "the suite's fibpool died\n" << server_->Log();
  }
  void TearDown() override {
    if (server_) server_->ExpectNoSanitizerReport();
  }
  static ServerProcess& server() { return *server_; }

 private:
  static inline std::unique_ptr<ServerProcess> server_;
};

}  // namespace fibpool::testing
