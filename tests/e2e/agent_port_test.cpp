// HAProxy's agent check (--agent-port) against the real binaries: the line a
// connection gets, how the weight follows the queued work, `drain` while
// the server drains, and nothing listening once it has exited.
#include <signal.h>

#include <cstdint>
#include <optional>
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/agent_check.h"
#include "tests/support/line_client.h"
#include "tests/support/pool_state.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"
#include "tests/support/wait.h"

namespace fibpool::testing {
namespace {

using std::chrono::seconds;

// The weight of an `up ready W%` answer; std::nullopt for any other line.
std::optional<int> Weight(const std::optional<std::string>& answer) {
  std::smatch m;
  if (!answer || !std::regex_match(*answer, m, std::regex("up ready ([0-9]+)%"))) {
    return std::nullopt;
  }
  return std::stoi(m[1]);
}

TEST(AgentPort, AnIdleServerAnswersUpReadyWithFullWeightAndClosesEachConnection) {
  ServerProcess server({"--workers", "2", "--agent-port", "0"});
  const int port = AgentPort(server);
  ASSERT_GT(port, 0);
  ASSERT_NE(port, server.port());
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(AskAgent(static_cast<std::uint16_t>(port)), "up ready 100%") << "check " << i;
  }
}

TEST(AgentPort, IsOffByDefaultAndStatsShowsThePortAsBoundOrMinusOne) {
  ServerProcess server({"--workers", "1", "--agent-port", "0"});
  LineClient client(server.port());
  const auto stats = AskStats(client);
  EXPECT_EQ(stats.at("agent_port").to_number<int>(), AgentPort(server));
  EXPECT_GT(stats.at("agent_port").to_number<int>(), 0);
  ServerProcess off({"--workers", "1"});
  EXPECT_EQ(AgentPort(off), -1);
  LineClient off_client(off.port());
  EXPECT_EQ(AskStats(off_client).at("agent_port").to_number<int>(), -1);
}

TEST(AgentPort, QueuedBigJobsLowerTheWeightAndItComesBackWhenTheyAreGone) {
  ServerProcess server({"--workers", "1", "--job-timeout", "600", "--agent-port", "0"});
  const auto port = static_cast<std::uint16_t>(AgentPort(server));
  ASSERT_EQ(AskAgent(port), "up ready 100%");
  {
    LineClient client(server.port());
    // Each estimated at many seconds of one worker's time.
    client.Send("50 recursive\n50 recursive\n50 recursive\n50 recursive\n");
    std::optional<int> loaded;
    ASSERT_TRUE(WaitFor(
        [&] {
          loaded = Weight(AskAgent(port));
          return loaded && *loaded < 50;
        },
        seconds(10)))
        << "last weight: " << (loaded ? std::to_string(*loaded) : "none");
    EXPECT_GE(*loaded, 1);
    client.Reset();
  }
  // The client has gone (reset): its jobs are dropped, the running one stopped.
  std::optional<std::string> answer;
  EXPECT_TRUE(WaitFor(
      [&] {
        answer = AskAgent(port);
        return answer == "up ready 100%";
      },
      seconds(20)))
      << "last answer: " << answer.value_or("none");
}

TEST(AgentPort, AnswersDrainWhileTheServerDrainsAndNothingListensAfterItExits) {
  ServerProcess server({"--workers", "1", "--agent-port", "0"});
  const auto port = static_cast<std::uint16_t>(AgentPort(server));
  LineClient client(server.port());
  LineClient observer(server.port());
  // The busy worker is held: the drain cannot end before the check.
  const std::optional<pid_t> held = HoldDrainOpen(server, client, observer);
  ASSERT_TRUE(held) << server.Log();
  EXPECT_EQ(AskAgent(port), "drain");
  EXPECT_EQ(AskAgent(port), "drain");
  ASSERT_EQ(::kill(*held, SIGCONT), 0);

  EXPECT_EQ(client.ReadLine(), "102334155");
  EXPECT_EQ(server.WaitExit(seconds(10)), 0);
  EXPECT_THROW(LineClient{port}, std::runtime_error);
}

}  // namespace
}  // namespace fibpool::testing
