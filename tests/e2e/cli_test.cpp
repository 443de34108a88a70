// The command line, the environment, the config file and the ready line of
// the real fibpool binary.
#include <sched.h>

#include <algorithm>
#include <optional>
#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/line_client.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"
#include "tests/support/temp_file.h"

namespace fibpool::testing {
namespace {

TEST(CommandLine, PortZeroReadyLineNamesTheBoundPort) {
  ServerProcess server({"--workers", "2"});
  const std::regex ready(R"(fibpool listening on 127\.0\.0\.1:([0-9]+) workers=2)");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(server.ready_line(), m, ready)) << server.ready_line();
  const int port = std::stoi(m[1]);
  EXPECT_GT(port, 0);
  EXPECT_LT(port, 65536);
  LineClient client(static_cast<std::uint16_t>(port));
  EXPECT_EQ(client.Ask("ping"), "pong");
}

TEST(CommandLine, ReadyLineComesOnceEveryWorkerIsReady) {
  ServerProcess server({"--workers", "3"});
  EXPECT_EQ(server.workers_in_ready_line(), 3u);
  LineClient client(server.port());
  const auto workers = WorkersOf(AskStats(client));
  ASSERT_EQ(workers.size(), 3u);
  for (const auto& w : workers) EXPECT_EQ(w.state, "idle") << w.pid;
}

TEST(CommandLine, WorkersOptionStartsThatManyChildWorkers) {
  ServerProcess server({"--workers", "3"});
  EXPECT_EQ(server.workers_in_ready_line(), 3u);
  LineClient client(server.port());
  const auto stats = AskStats(client);
  EXPECT_EQ(Counter(stats, "workers_target"), 3u);
  const auto children = ChildrenOf(server.pid());
  std::set<pid_t> pids;
  for (const auto& w : WorkersOf(stats)) {
    pids.insert(w.pid);
    EXPECT_NE(std::find(children.begin(), children.end(), w.pid), children.end())
        << w.pid << " is not a child of the supervisor " << server.pid();
  }
  EXPECT_EQ(pids.size(), 3u);
  EXPECT_EQ(children.size(), 3u + kReserveWorkers);
}

TEST(CommandLine, DefaultWorkersFollowTheCpuAffinity) {
  // fibpool inherits this thread's affinity: one CPU allowed, one worker.
  cpu_set_t saved;
  ASSERT_EQ(::sched_getaffinity(0, sizeof saved, &saved), 0);
  int first = -1;
  for (int cpu = 0; cpu < CPU_SETSIZE && first < 0; ++cpu) {
    if (CPU_ISSET(cpu, &saved)) first = cpu;
  }
  ASSERT_GE(first, 0);
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(first, &one);
  ASSERT_EQ(::sched_setaffinity(0, sizeof one, &one), 0);
  std::optional<ServerProcess> server;
  try {
    server.emplace();
  } catch (...) {
    ::sched_setaffinity(0, sizeof saved, &saved);
    throw;
  }
  ASSERT_EQ(::sched_setaffinity(0, sizeof saved, &saved), 0);
  EXPECT_EQ(server->workers_in_ready_line(), 1u) << server->ready_line();
  LineClient client(server->port());
  EXPECT_EQ(WorkersOf(AskStats(client)).size(), 1u);
}

TEST(CommandLine, EnvironmentSetsWorkers) {
  ServerProcess server({}, {{"FIBPOOL_WORKERS", "3"}});
  EXPECT_EQ(server.workers_in_ready_line(), 3u);
  LineClient client(server.port());
  EXPECT_EQ(WorkersOf(AskStats(client)).size(), 3u);
}

TEST(CommandLine, ConfigFileSetsWorkers) {
  TempFile config("# fibpool test\nworkers = 2\nmax_n = 500\n");
  ServerProcess server({"--config", config.path()});
  EXPECT_EQ(server.workers_in_ready_line(), 2u);
  LineClient client(server.port());
  EXPECT_EQ(WorkersOf(AskStats(client)).size(), 2u);
  EXPECT_TRUE(client.Ask("501")->starts_with("ERR out_of_range"));  // max_n = 500 applies
}

TEST(CommandLine, ConfigFileCanBeNamedInTheEnvironment) {
  TempFile config("workers = 2\n");
  ServerProcess server({}, {{"FIBPOOL_CONFIG", config.path()}});
  EXPECT_EQ(server.workers_in_ready_line(), 2u);
}

TEST(CommandLine, EnvironmentOverridesConfigFile) {
  TempFile config("workers = 2\n");
  ServerProcess server({"--config", config.path()}, {{"FIBPOOL_WORKERS", "3"}});
  EXPECT_EQ(server.workers_in_ready_line(), 3u);
}

TEST(CommandLine, CommandLineOverridesEnvironmentAndConfigFile) {
  TempFile config("workers = 2\n");
  ServerProcess server({"--config", config.path(), "--workers", "4"}, {{"FIBPOOL_WORKERS", "3"}});
  EXPECT_EQ(server.workers_in_ready_line(), 4u);
  LineClient client(server.port());
  EXPECT_EQ(WorkersOf(AskStats(client)).size(), 4u);
}

TEST(CommandLine, HelpPrintsUsageAndExitsZero) {
  const CommandResult r = RunFibpool({"--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* option : {"--config", "--host", "--port", "--workers", "--algorithm", "--max-n",
                             "--job-timeout", "--log-level", "--help", "--version"}) {
    EXPECT_NE(r.out.find(option), std::string::npos) << option << " missing from:\n" << r.out;
  }
}

TEST(CommandLine, VersionPrintsVersionAndExitsZero) {
  const CommandResult r = RunFibpool({"--version"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_match(r.out, std::regex("fibpool [0-9]+\\.[0-9]+\\.[0-9]+\n"))) << r.out;
}

TEST(CommandLine, BadOptionsExitNonZeroWithAMessage) {
  const std::vector<std::vector<std::string>> cases = {
      {"--no-such-option"},    {"--workers", "abc"},
      {"--workers"},           {"--port", "70000"},
      {"--algorithm", "slow"}, {"--job-timeout", "-1"},
      {"--log-level", "loud"}, {"--config", "/nonexistent/fibpool.ini"},
  };
  for (const auto& args : cases) {
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    // --port 0 keeps a wrongly accepted option from binding the default port.
    std::vector<std::string> argv = args;
    if (args[0] != "--port") argv.insert(argv.begin(), {"--port", "0"});
    const CommandResult r = RunFibpool(argv, {}, std::chrono::seconds(5));
    ASSERT_TRUE(r.exit_code.has_value()) << joined << "did not exit";
    EXPECT_NE(*r.exit_code, 0) << joined;
    EXPECT_NE(r.err.find("fibpool"), std::string::npos) << joined << ": " << r.err;
    EXPECT_GT(r.err.size(), 20u) << joined << ": " << r.err;
    EXPECT_EQ(r.out.find("listening"), std::string::npos) << joined;
  }
}

TEST(CommandLine, BadEnvironmentValueExitsNonZeroWithAMessage) {
  const CommandResult r =
      RunFibpool({"--port", "0"}, {{"FIBPOOL_WORKERS", "many"}}, std::chrono::seconds(5));
  ASSERT_TRUE(r.exit_code.has_value());
  EXPECT_NE(*r.exit_code, 0);
  EXPECT_NE(r.err.find("workers"), std::string::npos) << r.err;
}

TEST(CommandLine, PortInUseFailsFastWithAMessage) {
  ServerProcess first({"--workers", "1"});
  const CommandResult r =
      RunFibpool({"--host", "127.0.0.1", "--port", std::to_string(first.port()), "--workers", "1"},
                 {}, std::chrono::seconds(10));
  ASSERT_TRUE(r.exit_code.has_value()) << "second fibpool did not exit";
  EXPECT_NE(*r.exit_code, 0);
  EXPECT_FALSE(r.err.empty());
  LineClient client(first.port());
  EXPECT_EQ(client.Ask("ping"), "pong");  // the first one is undisturbed
}

}  // namespace
}  // namespace fibpool::testing
