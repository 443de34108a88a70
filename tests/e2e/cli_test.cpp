// The command line, the environment, the config file and the ready line of
// the real fibpool binary.
#include <sched.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <optional>
#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/fib_reference.h"
#include "tests/support/line_client.h"
#include "tests/support/log_lines.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"
#include "tests/support/temp_file.h"
#include "tests/support/wait.h"

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

TEST(CommandLine, AlgorithmRecursiveSendsBareNumbersToTheRecursiveAlgorithm) {
  ServerProcess server({"--workers", "1", "--algorithm", "recursive"});
  LineClient client(server.port());
  EXPECT_EQ(client.Ask("30"), "832040");
  // Bare N now goes to the recursive algorithm and its limit.
  const auto answer = client.Ask("94");
  ASSERT_TRUE(answer.has_value());
  EXPECT_TRUE(answer->starts_with("ERR out_of_range ")) << *answer;
  EXPECT_EQ(client.Ask("94 fast"), FibReference(94));
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

TEST(CommandLine, VersionChecksTheSettingsFirst) {
  const CommandResult r = RunFibpool({"--port", "abc", "--version"}, {}, std::chrono::seconds(5));
  ASSERT_TRUE(r.exit_code.has_value());
  EXPECT_EQ(*r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find("port must be 0 to 65535, got 'abc' (from --port)"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "");
}

// The line of `report` for setting `name`: "name = value  (source)".
std::string ReportLine(const std::string& report, const std::string& name) {
  const auto at = report.find("\n" + name + " = ");
  if (at == std::string::npos) return "";
  return report.substr(at + 1, report.find('\n', at + 1) - at - 1);
}

TEST(CommandLine, CheckConfigPrintsEachSettingAndWhereItCameFromAndStartsNothing) {
  TempFile file("workers = 3\nmax_n = 5000\nlog_level = debug\n");
  const CommandResult r =
      RunFibpool({"--check-config", "--config", file.path(), "--max-n", "7000"},
                 {{"FIBPOOL_JOB_TIMEOUT", "12.5"}}, std::chrono::seconds(5));
  ASSERT_TRUE(r.exit_code.has_value());
  EXPECT_EQ(*r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("fibpool " FIBPOOL_VERSION ": the configuration is valid\n"))
      << r.out;
  EXPECT_EQ(ReportLine(r.out, "workers"), "workers = 3  (file " + file.path() + ":1)");
  EXPECT_EQ(ReportLine(r.out, "max_n"),
            "max_n = 7000  (flag --max-n; overrides file " + file.path() + ":2)");
  EXPECT_EQ(ReportLine(r.out, "job_timeout"), "job_timeout = 12.5  (environment FIBPOOL_JOB_TIMEOUT)");
  EXPECT_EQ(ReportLine(r.out, "port"), "port = 25000  (default)");
  EXPECT_TRUE(ReportLine(r.out, "worker_path").ends_with("/fibpool-worker  (default)")) << r.out;
  EXPECT_EQ(r.out.find("listening"), std::string::npos);
}

TEST(CommandLine, CheckConfigExitsTwoOnWhatAStartWouldRefuse) {
  TempFile file("workers = 1\nmax_connections = 0\n");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--check-config", "--port", "-1"}, "fibpool: port must be 0 to 65535, got '-1' (from --port)"},
      {{"--check-config", "--config", file.path()},
       "fibpool: max_connections must be 1 to 1000000, got '0' (from " + file.path() + ":2)"},
      {{"--check-config", "--worker-path", "/nonexistent/fibpool-worker"},
       "fibpool: worker executable /nonexistent/fibpool-worker not found"},
  };
  for (const auto& [args, line] : cases) {
    const CommandResult r = RunFibpool(args, {}, std::chrono::seconds(5));
    ASSERT_TRUE(r.exit_code.has_value()) << line;
    EXPECT_EQ(*r.exit_code, 2) << line;
    EXPECT_EQ(r.err.substr(0, r.err.find('\n')), line);
    EXPECT_EQ(r.out, "") << line;
  }
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

// The first line fibpool printed on stderr.
std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

TEST(CommandLine, WrongValuesExitTwoWithOneLineNamingSettingRangeAndSource) {
  TempFile file("workers = 1\nmax_connections = -1\n");
  TempFile nested("workers = 1\nconfig = /etc/fibpool.conf\n");
  const std::string dir = std::filesystem::temp_directory_path();
  struct Case {
    std::vector<std::string> args;
    std::map<std::string, std::string> env;
    std::string line;
  };
  const std::vector<Case> cases = {
      {{"--port", "-5"}, {}, "fibpool: port must be 0 to 65535, got '-5' (from --port)"},
      {{"--port", "0", "--max-n", "-1"},
       {},
       "fibpool: max_n must be 0 to 1000000000, got '-1' (from --max-n)"},
      {{"--port", "0"},
       {{"FIBPOOL_WORKER_SPIN_US", "-1"}},
       "fibpool: worker_spin_us must be 0 to 10000, got '-1' (from FIBPOOL_WORKER_SPIN_US)"},
      {{"--port", "0", "--config", file.path()},
       {},
       "fibpool: max_connections must be 1 to 1000000, got '-1' (from " + file.path() + ":2)"},
      {{"--port", "0", "--config", nested.path()},
       {},
       "fibpool: " + nested.path() + ":2: config cannot be set inside a config file"},
      {{"--port", "0", "--config", dir},
       {},
       "fibpool: config file " + dir + " is a directory, not a file"},
      {{"--port", "0", "30"},
       {},
       "fibpool: unexpected argument '30': settings are given as --NAME VALUE"},
  };
  for (const Case& c : cases) {
    const CommandResult r = RunFibpool(c.args, c.env, std::chrono::seconds(5));
    ASSERT_TRUE(r.exit_code.has_value()) << c.line << ": did not exit";
    EXPECT_EQ(*r.exit_code, 2) << c.line;
    EXPECT_EQ(FirstLine(r.err), c.line);
    EXPECT_EQ(r.out.find("listening"), std::string::npos) << c.line;
  }
}

TEST(CommandLine, UnknownEnvironmentVariableIsWarnedWithTheClosestSetting) {
  ServerProcess server({"--workers", "1"}, {{"FIBPOOL_WORKRS", "3"}});
  EXPECT_EQ(server.workers_in_ready_line(), 1u);
  const std::string line = LogLineWith(server.Log(), "event=config_warning");
  EXPECT_NE(line.find(" warning fibpool["), std::string::npos) << server.Log();
  EXPECT_TRUE(
      line.ends_with("event=config_warning why=\"FIBPOOL_WORKRS is not a fibpool setting "
                     "and is ignored; did you mean FIBPOOL_WORKERS?\""))
      << server.Log();
}

TEST(CommandLine, ReadyLogLineCarriesTheVersionAndTheConfigFile) {
  TempFile config("workers = 1\n");
  ServerProcess server({"--config", config.path()});
  const std::string ready = LogLineWith(server.Log(), "event=ready");
  EXPECT_NE(ready.find("event=ready version=" FIBPOOL_VERSION " config=" + config.path() + " "),
            std::string::npos)
      << server.Log();
  ServerProcess without({"--workers", "1"});
  EXPECT_NE(LogLineWith(without.Log(), "event=ready").find(" config=none "), std::string::npos)
      << without.Log();
}

TEST(CommandLine, LogLevelWarningInAnyCaseIsAccepted) {
  ServerProcess server({"--workers", "1", "--log-level", "Warning"});
  LineClient client(server.port());
  EXPECT_EQ(client.Ask("ping"), "pong");
  EXPECT_EQ(server.Log().find("event=ready"), std::string::npos) << server.Log();  // info: off
  ServerProcess upper({"--workers", "1", "--log-level", "INFO"});
  EXPECT_NE(upper.Log().find("event=ready"), std::string::npos) << upper.Log();
}

TEST(CommandLine, AnIpv6AddressIsShownInBrackets) {
  ServerProcess server({"--workers", "1", "--host", "::1"});
  EXPECT_TRUE(std::regex_match(server.ready_line(),
                               std::regex(R"(fibpool listening on \[::1\]:[0-9]+ workers=1)")))
      << server.ready_line();
  EXPECT_NE(LogLineWith(server.Log(), "event=ready").find(" address=[::1]:"), std::string::npos)
      << server.Log();
}

TEST(CommandLine, AWorkerPathThatIsNotExecutableIsNamedSo) {
  TempFile plain("not a program\n");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {plain.path(), "fibpool: worker executable " + plain.path() +
                         " is not executable (Permission denied)"},
      {"/nonexistent/fibpool-worker", "fibpool: worker executable /nonexistent/fibpool-worker not found"},
  };
  for (const auto& [path, line] : cases) {
    const CommandResult r = RunFibpool({"--port", "0", "--worker-path", path}, {}, std::chrono::seconds(5));
    ASSERT_TRUE(r.exit_code.has_value()) << path;
    EXPECT_EQ(*r.exit_code, 2) << path;
    EXPECT_EQ(FirstLine(r.err), line);
  }
}

TEST(CommandLine, HostNameLocalhostListensOnTheLoopbackAddress) {
  ServerProcess server({"--workers", "1", "--host", "localhost"});
  EXPECT_TRUE(server.ready_line().starts_with("fibpool listening on 127.0.0.1:"))
      << server.ready_line();
  LineClient client(server.port());
  EXPECT_EQ(client.Ask("ping"), "pong");
  // The deadline leaves room for a resolver that must time out (no network).
  const CommandResult r =
      RunFibpool({"--port", "0", "--host", "no-such-host.invalid"}, {}, std::chrono::seconds(60));
  ASSERT_TRUE(r.exit_code.has_value());
  EXPECT_EQ(*r.exit_code, 2);
  EXPECT_TRUE(FirstLine(r.err).starts_with(
      "fibpool: host must be an IP address or a host name that resolves, got "
      "'no-such-host.invalid'"))
      << r.err;
}

// Sends SIGHUP to `server` and returns the first log line holding `event`
// once one is there (within 10 s); empty when none came.
std::string LogLineAfterSighup(const ServerProcess& server, const std::string& event) {
  server.Signal(SIGHUP);
  WaitFor([&] { return !LogLineWith(server.Log(), event).empty(); }, std::chrono::seconds(10));
  return LogLineWith(server.Log(), event);
}

TEST(CommandLine, SighupLogsChangesRestartNeededAndOverrides) {
  TempFile config("workers = 2\nmax_n = 500\njob_timeout = 10\n");
  ServerProcess server({"--config", config.path()}, {{"FIBPOOL_JOB_TIMEOUT", "20"}});
  ASSERT_EQ(server.workers_in_ready_line(), 2u);
  config.Write("workers = 3\nmax_n = 600\njob_timeout = 5\n");
  EXPECT_TRUE(LogLineAfterSighup(server, "event=reload ")
                  .ends_with("event=reload config=" + config.path() +
                             " applied=\"workers 2->3\" restart_needed=\"max_n 500->600\" "
                             "overridden=\"job_timeout (FIBPOOL_JOB_TIMEOUT over " +
                             config.path() + ":3)\""))
      << server.Log();
  LineClient client(server.port());
  EXPECT_TRUE(
      WaitFor([&] { return WorkersOf(AskStats(client)).size() == 3; }, std::chrono::seconds(10)));
  EXPECT_TRUE(client.Ask("501")->starts_with("ERR out_of_range"));  // max_n needs a restart
}

TEST(CommandLine, SighupWithAWrongFileLogsTheLineAndChangesNothing) {
  TempFile config("workers = 2\n");
  ServerProcess server({"--config", config.path()});
  ASSERT_EQ(server.workers_in_ready_line(), 2u);
  config.Write("workers = 3\nmax_line = 8\n");
  EXPECT_TRUE(LogLineAfterSighup(server, "event=reload_failed")
                  .ends_with("why=\"max_line must be 16 to 1048576, got '8' (from " +
                             config.path() + ":2)\""))
      << server.Log();
  LineClient client(server.port());
  EXPECT_EQ(Counter(AskStats(client), "workers_target"), 2u);  // workers = 3 not applied
  EXPECT_EQ(client.Ask("ping"), "pong");
}

TEST(CommandLine, SighupWithAWorkerPathThatCannotRunIsRefusedAndKeepsTheRunningOne) {
  TempFile config("workers = 1\n");
  ServerProcess server({"--config", config.path()});
  config.Write("workers = 2\nworker_path = /nonexistent/fibpool-worker\n");
  server.Signal(SIGHUP);
  ASSERT_TRUE(WaitFor([&] { return !LogLineWith(server.Log(), "event=reload_failed").empty(); },
                      std::chrono::seconds(10)))
      << server.Log();
  EXPECT_TRUE(LogLineWith(server.Log(), "event=reload_failed")
                  .ends_with("why=\"worker executable /nonexistent/fibpool-worker not found\""))
      << server.Log();
  LineClient client(server.port());
  const auto stats = AskStats(client);
  EXPECT_EQ(Counter(stats, "workers_target"), 1u);
  EXPECT_TRUE(std::string(stats.at("settings").at("worker_path").as_string()).ends_with("/fibpool-worker"));
  EXPECT_NE(stats.at("settings").at("worker_path").as_string(), "/nonexistent/fibpool-worker");
  EXPECT_EQ(client.Ask("30"), "832040");
}

TEST(CommandLine, SighupWithAHostThatDoesNotResolveStillAppliesTheOtherChanges) {
  TempFile config("workers = 1\nhost = 127.0.0.1\n");
  ServerProcess server({"--config", config.path()});
  ASSERT_EQ(server.workers_in_ready_line(), 1u);
  config.Write("workers = 2\nhost = no-such-host.invalid\n");
  // Not looked up: the reload is logged at once, whatever the resolver does.
  EXPECT_TRUE(LogLineAfterSighup(server, "event=reload ")
                  .ends_with("event=reload config=" + config.path() +
                             " applied=\"workers 1->2\" restart_needed=\"host "
                             "127.0.0.1->no-such-host.invalid, metrics_host "
                             "127.0.0.1->no-such-host.invalid\" overridden=none"))
      << server.Log();
  LineClient client(server.port());
  EXPECT_TRUE(
      WaitFor([&] { return WorkersOf(AskStats(client)).size() == 2; }, std::chrono::seconds(10)));
  EXPECT_EQ(Counter(AskStats(client), "workers_target"), 2u);
  EXPECT_EQ(client.Ask("ping"), "pong");
}

TEST(CommandLine, SighupWithoutAConfigFileLogsThatThereIsNothingToReload) {
  ServerProcess server({"--workers", "1"});
  server.Signal(SIGHUP);
  EXPECT_TRUE(
      WaitFor([&] { return server.Log().find("event=reload_skipped") != std::string::npos; },
              std::chrono::seconds(10)))
      << server.Log();
  EXPECT_NE(server.Log().find("no config file to re-read"), std::string::npos);
  LineClient client(server.port());
  EXPECT_EQ(client.Ask("ping"), "pong");
}

}  // namespace
}  // namespace fibpool::testing
