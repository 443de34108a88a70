#include "supervisor/net/inherited_sockets.h"

#include <gtest/gtest.h>

#include "supervisor/net/listener_handoff.h"

namespace fibpool::supervisor {
namespace {

using Role = ListenerRole;

TEST(ParseListenFds, WithoutListenPidNothingIsHandedOver) {
  const auto parsed = ParseListenFds(100, nullptr, "2", "line:metrics");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->count, 0u);
}

TEST(ParseListenFds, SocketsMeantForAnotherPidAreNotTaken) {
  const auto parsed = ParseListenFds(100, "101", "1", nullptr);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->count, 0u);
}

TEST(ParseListenFds, ReadsCountAndNames) {
  const auto parsed = ParseListenFds(100, "100", "3", "line:metrics:agent");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->count, 3u);
  EXPECT_EQ(parsed->names, (std::vector<std::string>{"line", "metrics", "agent"}));
}

TEST(ParseListenFds, NamesAreOptional) {
  const auto parsed = ParseListenFds(100, "100", "1", "");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->count, 1u);
  EXPECT_TRUE(parsed->names.empty());
}

TEST(ParseListenFds, MalformedValuesAreErrors) {
  EXPECT_FALSE(ParseListenFds(100, "abc", "1", nullptr));
  EXPECT_FALSE(ParseListenFds(100, "100", "x", nullptr));
  EXPECT_FALSE(ParseListenFds(100, "100", nullptr, nullptr));
  EXPECT_FALSE(ParseListenFds(100, "100", "-1", nullptr));
  EXPECT_FALSE(ParseListenFds(100, "100", "2", "line"));  // one name for two descriptors
}

TEST(AssignListenerRoles, AnUnnamedSocketIsTheLinePort) {
  EXPECT_EQ(AssignListenerRoles(1, {}), (std::vector<Role>{Role::kLine}));
}

TEST(AssignListenerRoles, SystemdsDefaultNameIsTheLinePort) {
  EXPECT_EQ(AssignListenerRoles(1, {"fibpool.socket"}), (std::vector<Role>{Role::kLine}));
}

TEST(AssignListenerRoles, NamesPickTheListenersInAnyOrder) {
  EXPECT_EQ(AssignListenerRoles(3, {"agent", "metrics", "line"}),
            (std::vector<Role>{Role::kAgent, Role::kMetrics, Role::kLine}));
}

TEST(AssignListenerRoles, ALineNameWinsOverAnEarlierOtherName) {
  EXPECT_EQ(AssignListenerRoles(2, {"other", "line"}),
            (std::vector<Role>{Role::kUnused, Role::kLine}));
}

TEST(AssignListenerRoles, ExtraSocketsAreUnused) {
  EXPECT_EQ(AssignListenerRoles(4, {"metrics", "x", "y", "metrics"}),
            (std::vector<Role>{Role::kMetrics, Role::kLine, Role::kUnused, Role::kUnused}));
}

TEST(HandoffEnvironment, ReplacesEarlierHandoffVariablesAndNamesTheSockets) {
  const std::vector<std::string> env = HandoffEnvironment(
      {"PATH=/bin", "LISTEN_PID=7", "LISTEN_FDS=9", "LISTEN_FDNAMES=a", "FIBPOOL_READY_FD=12",
       "FIBPOOL_WORKERS=2"},
      {{10, "line"}, {11, "metrics"}}, true);
  EXPECT_EQ(env, (std::vector<std::string>{"PATH=/bin", "FIBPOOL_WORKERS=2", "LISTEN_FDS=2",
                                           "LISTEN_FDNAMES=line:metrics", "FIBPOOL_READY_FD=5"}));
}

TEST(HandoffEnvironment, WithoutAReadyDescriptorThereIsNoReadyVariable) {
  const std::vector<std::string> env = HandoffEnvironment({}, {{10, "line"}}, false);
  EXPECT_EQ(env, (std::vector<std::string>{"LISTEN_FDS=1", "LISTEN_FDNAMES=line"}));
}

}  // namespace
}  // namespace fibpool::supervisor
