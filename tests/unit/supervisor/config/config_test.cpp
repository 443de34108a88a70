#include "supervisor/config/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "supervisor/config/reload_summary.h"
#include "supervisor/config/settings.h"
#include "tests/support/temp_file.h"

namespace fibpool::supervisor {
namespace {

using ConfigFile = testing::TempFile;

Config Load(const std::vector<std::string>& args, const Environment& env = {}) {
  const ConfigOutcome outcome = LoadConfig(args, env);
  EXPECT_EQ(outcome.action, ConfigOutcome::Action::kRun);
  return outcome.config;
}

// The message of the ConfigError LoadConfig throws; empty when it does not throw.
std::string ErrorOf(const std::vector<std::string>& args, const Environment& env = {}) {
  try {
    LoadConfig(args, env);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return {};
}

TEST(Config, DefaultsFollowTheProtocol) {
  const Config c = Load({});
  EXPECT_EQ(c.host, "127.0.0.1");
  EXPECT_EQ(c.port, 25000);
  EXPECT_EQ(c.workers, AvailableCpus());
  EXPECT_EQ(c.algorithm, ipc::Algorithm::kFast);
  EXPECT_EQ(c.max_n, 100'000'000u);
  EXPECT_EQ(c.job_timeout, std::chrono::seconds(30));
  EXPECT_EQ(c.max_line, 1024u);
}

TEST(Config, CommandLineBeatsEnvironmentBeatsFileBeatsDefault) {
  ConfigFile file("workers = 2\nport = 3000\nmax_n = 500\n# comment\nalgorithm = recursive\n");
  const Environment env = {{"FIBPOOL_WORKERS", "3"}, {"FIBPOOL_PORT", "4000"}};
  const Config c = Load({"--config", file.path(), "--workers", "4"}, env);
  EXPECT_EQ(c.workers, 4u);                            // command line
  EXPECT_EQ(c.port, 4000);                             // environment over file
  EXPECT_EQ(c.max_n, 500u);                            // file over default
  EXPECT_EQ(c.algorithm, ipc::Algorithm::kRecursive);  // file
  EXPECT_EQ(c.job_timeout, std::chrono::seconds(30));  // default
  EXPECT_EQ(Load({"--config", file.path()}, env).workers, 3u);
  EXPECT_EQ(Load({"--config", file.path()}).workers, 2u);
}

TEST(Config, ConfigFileCanBeNamedInTheEnvironment) {
  ConfigFile file("job_timeout = 1.5\nmax-line = 64\n");
  const Config c = Load({}, {{"FIBPOOL_CONFIG", file.path()}});
  EXPECT_EQ(c.job_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(c.max_line, 64u);
}

TEST(Config, TheAgentPortIsOffByDefaultAndReadFromEveryLayer) {
  EXPECT_EQ(Load({}).agent_port, -1);
  ConfigFile file("agent_port = 25001\n");
  EXPECT_EQ(Load({"--config", file.path()}).agent_port, 25001);
  EXPECT_EQ(Load({"--config", file.path()}, {{"FIBPOOL_AGENT_PORT", "0"}}).agent_port, 0);
  EXPECT_EQ(Load({"--agent-port", "7"}, {{"FIBPOOL_AGENT_PORT", "0"}}).agent_port, 7);
  EXPECT_EQ(ErrorOf({"--agent-port", "-2"}),
            "agent_port must be -1 (off) or 0 to 65535, got '-2' (from --agent-port)");
}

TEST(Config, EmptyEnvironmentVariablesCountAsUnset) {
  ConfigFile file("workers = 2\n");
  EXPECT_EQ(Load({"--config", file.path()}, {{"FIBPOOL_WORKERS", ""}}).workers, 2u);
}

TEST(Config, OtherEnvironmentVariablesAreIgnored) {
  EXPECT_EQ(Load({}, {{"WORKERS", "7"}, {"FIBPOOL_UNKNOWN", "1"}}).workers, AvailableCpus());
}

TEST(Config, BadValuesAreErrorsThatNameTheProblem) {
  EXPECT_THROW(LoadConfig({"--workers", "zero"}, {}), ConfigError);
  EXPECT_THROW(LoadConfig({"--workers", "1000"}, {}), ConfigError);
  EXPECT_THROW(LoadConfig({"--port", "70000"}, {}), ConfigError);
  EXPECT_THROW(LoadConfig({"--algorithm", "slow"}, {}), ConfigError);
  EXPECT_THROW(LoadConfig({"--job-timeout", "0"}, {}), ConfigError);
  EXPECT_THROW(LoadConfig({"--nope"}, {}), ConfigError);
  EXPECT_THROW(LoadConfig({"--config", "/nonexistent/fibpool.conf"}, {}), ConfigError);
  ConfigFile typo("wrokers = 2\n");
  EXPECT_THROW(LoadConfig({"--config", typo.path()}, {}), ConfigError);
}

TEST(Config, HelpAndVersionAreActions) {
  const ConfigOutcome help = LoadConfig({"--help"}, {});
  EXPECT_EQ(help.action, ConfigOutcome::Action::kHelp);
  EXPECT_NE(help.text.find("--workers"), std::string::npos);
  const ConfigOutcome version = LoadConfig({"--version"}, {});
  EXPECT_EQ(version.action, ConfigOutcome::Action::kVersion);
  EXPECT_EQ(version.text.rfind("fibpool ", 0), 0u);
}

TEST(Config, NegativeNumbersAreRejectedNotWrapped) {
  EXPECT_EQ(ErrorOf({"--port", "-5"}), "port must be 0 to 65535, got '-5' (from --port)");
  EXPECT_EQ(ErrorOf({"--max-n", "-1"}), "max_n must be 0 to 1000000000, got '-1' (from --max-n)");
  EXPECT_EQ(ErrorOf({"--worker-spin-us", "-1"}),
            "worker_spin_us must be 0 to 10000, got '-1' (from --worker-spin-us)");
  for (const char* name :
       {"max-line", "max-backlog", "max-connections", "max-inflight-per-connection",
        "max-output-per-connection", "max-jobs-per-worker", "max-worker-memory"}) {
    const std::string error = ErrorOf({std::string("--") + name, "-1"});
    EXPECT_NE(error.find(FileName(name) + " must be "), std::string::npos) << error;
    EXPECT_NE(error.find("got '-1' (from --" + std::string(name) + ")"), std::string::npos)
        << error;
  }
}

TEST(Config, EveryIntegerSettingAcceptsItsRangeAndRejectsOneBeyondIt) {
  for (const Setting& s : Settings()) {
    if (s.kind != SettingKind::kInteger) continue;
    const std::string flag = "--" + std::string(s.name);
    EXPECT_EQ(ErrorOf({flag, std::to_string(s.min)}), "") << s.name;
    EXPECT_EQ(ErrorOf({flag, std::to_string(s.max)}), "") << s.name;
    for (const std::int64_t beyond : {s.min - 1, s.max + 1}) {
      EXPECT_EQ(ErrorOf({flag, std::to_string(beyond)}),
                FileName(s.name) + " must be " + RangeText(s) + ", got '" + std::to_string(beyond) +
                    "' (from " + flag + ")");
    }
  }
}

TEST(Config, WorkersZeroMeansTheCpusAndTheMessageSaysSo) {
  EXPECT_EQ(Load({"--workers", "0"}).workers, AvailableCpus());
  EXPECT_EQ(Load({"--workers", "256"}).workers, 256u);
  EXPECT_EQ(ErrorOf({"--workers", "257"}),
            "workers must be 0 (the CPUs this process may use) to 256, got '257' (from --workers)");
}

TEST(Config, SecondsMustBePositiveAndFinite) {
  EXPECT_EQ(Load({"--job-timeout", "0.001"}).job_timeout, std::chrono::milliseconds(1));
  for (const char* bad : {"0", "-1", "nan", "inf", "1e300", "soon"}) {
    EXPECT_EQ(ErrorOf({"--idle-timeout", bad}),
              std::string("idle_timeout must be 0.001 to 31536000 seconds, got '") + bad +
                  "' (from --idle-timeout)");
  }
}

TEST(Config, MaxWaitIsOffByDefaultAndTakesSecondsFromEveryLayer) {
  EXPECT_EQ(Load({}).max_wait, std::chrono::milliseconds(0));
  EXPECT_EQ(Load({"--max-wait", "2.5"}).max_wait, std::chrono::milliseconds(2500));
  EXPECT_EQ(Load({}, {{"FIBPOOL_MAX_WAIT", "10"}}).max_wait, std::chrono::seconds(10));
  ConfigFile file("max_wait = 0.25\n");
  EXPECT_EQ(Load({"--config", file.path()}).max_wait, std::chrono::milliseconds(250));
  EXPECT_EQ(ErrorOf({"--max-wait", "-1"}),
            "max_wait must be 0 to 31536000 seconds, got '-1' (from --max-wait)");
  EXPECT_TRUE(FindSetting("max_wait")->live);
}

TEST(Config, QuarantinePeriodDefaultsToAMinuteAndIsChecked) {
  EXPECT_EQ(Load({}).quarantine_period, std::chrono::seconds(60));
  EXPECT_EQ(Load({}, {{"FIBPOOL_QUARANTINE_PERIOD", "0.5"}}).quarantine_period,
            std::chrono::milliseconds(500));
  EXPECT_EQ(ErrorOf({"--quarantine-period", "0"}),
            "quarantine_period must be 0.001 to 31536000 seconds, got '0' (from "
            "--quarantine-period)");
}

TEST(Config, NonNumbersAreRejected) {
  for (const char* bad : {"abc", "", "1.5", "0x10", "12abc", "99999999999999999999999"}) {
    EXPECT_EQ(ErrorOf({"--max-line", bad}),
              std::string("max_line must be 16 to 1048576, got '") + bad + "' (from --max-line)");
  }
}

TEST(Config, MessagesNameTheEnvironmentVariableOrTheFileLine) {
  EXPECT_EQ(ErrorOf({}, {{"FIBPOOL_PORT", "-5"}}),
            "port must be 0 to 65535, got '-5' (from FIBPOOL_PORT)");
  ConfigFile file("# settings\nworkers = 2\nmax_backlog = 0\n");
  EXPECT_EQ(ErrorOf({"--config", file.path()}),
            "max_backlog must be 1 to 1000000, got '0' (from " + file.path() + ":3)");
  // A wrong value is reported even where a higher layer overrides it.
  EXPECT_EQ(ErrorOf({"--config", file.path(), "--max-backlog", "5"}),
            "max_backlog must be 1 to 1000000, got '0' (from " + file.path() + ":3)");
}

TEST(Config, SourcesAndFileLinesOverriddenAreRecorded) {
  ConfigFile file("workers = 2\nmax_n = 500\nport = 3000\n");
  const ConfigOutcome o =
      LoadConfig({"--config", file.path(), "--workers", "4"}, {{"FIBPOOL_PORT", "4000"}});
  EXPECT_EQ(o.sources.at("workers"), "--workers");
  EXPECT_EQ(o.sources.at("port"), "FIBPOOL_PORT");
  EXPECT_EQ(o.sources.at("max-n"), file.path() + ":2");
  EXPECT_EQ(o.sources.count("job-timeout"), 0u);
  EXPECT_EQ(o.overridden_in_file,
            (std::map<std::string, std::string>{{"port", file.path() + ":3"},
                                                {"workers", file.path() + ":1"}}));
}

TEST(ConfigFile, HashAndSemicolonCommentsWholeLineAndTrailing) {
  ConfigFile file(
      "; fibpool\n# comment\n  ; indented\n\nworkers = 3 ; three\nmax_n = 700\t# seven hundred\n"
      "worker_path = /opt/fib#1/worker\n");
  const Config c = Load({"--config", file.path()});
  EXPECT_EQ(c.workers, 3u);
  EXPECT_EQ(c.max_n, 700u);
  EXPECT_EQ(c.worker_path, "/opt/fib#1/worker");  // '#' not after whitespace is part of the value
}

TEST(Config, MaxConnectionsPerClientIsAQuarterOfMaxConnectionsUnlessSet) {
  EXPECT_EQ(Load({}).max_connections_per_client, 2500u);
  EXPECT_EQ(Load({"--max-connections", "50"}).max_connections_per_client, 13u);
  EXPECT_EQ(Load({"--max-connections", "1"}).max_connections_per_client, 1u);
  EXPECT_EQ(Load({"--max-connections-per-client", "7"}).max_connections_per_client, 7u);
}

TEST(ConfigFile, TheExampleFileIsAccepted) {
  const Config c = Load({"--config", std::string(FIBPOOL_SOURCE_DIR) + "/deploy/fibpool.conf"});
  EXPECT_EQ(c.workers, 2u);
}

TEST(ConfigFile, ErrorsNameTheFileAndLine) {
  ConfigFile typo("workers = 2\n\nwrokers = 2\n");
  EXPECT_EQ(ErrorOf({"--config", typo.path()}),
            typo.path() + ":3: unknown setting 'wrokers'; did you mean workers?");
  ConfigFile no_equals("workers 2\n");
  EXPECT_EQ(ErrorOf({"--config", no_equals.path()}),
            no_equals.path() + ":1: expected NAME = VALUE, got 'workers 2'");
  ConfigFile section("[fibpool]\nworkers = 2\n");
  EXPECT_EQ(ErrorOf({"--config", section.path()}),
            section.path() + ":1: sections are not supported; write NAME = VALUE lines");
  ConfigFile twice("workers = 2\nmax-n = 5\nworkers = 3\n");
  EXPECT_EQ(ErrorOf({"--config", twice.path()}),
            twice.path() + ":3: workers is already set at " + twice.path() + ":1");
}

TEST(ConfigFile, AMissingFileSaysWhy) {
  EXPECT_EQ(ErrorOf({"--config", "/nonexistent/fibpool.conf"}),
            "cannot read config file /nonexistent/fibpool.conf (No such file or directory)");
}

TEST(ConfigFile, ALeadingUtf8ByteOrderMarkIsSkipped) {
  ConfigFile file("\xEF\xBB\xBFworkers = 3\nmax_n = 700\n");
  const Config c = Load({"--config", file.path()});
  EXPECT_EQ(c.workers, 3u);
  EXPECT_EQ(c.max_n, 700u);
}

TEST(Config, VersionAndCheckConfigCheckEverySettingFirst) {
  EXPECT_EQ(ErrorOf({"--port", "abc", "--version"}), "port must be 0 to 65535, got 'abc' (from --port)");
  EXPECT_EQ(ErrorOf({"--check-config"}, {{"FIBPOOL_WORKERS", "-1"}}),
            "workers must be 0 (the CPUs this process may use) to 256, got '-1' (from FIBPOOL_WORKERS)");
  const ConfigOutcome check = LoadConfig({"--check-config", "--port", "7"}, {});
  EXPECT_EQ(check.action, ConfigOutcome::Action::kCheck);
  EXPECT_EQ(check.config.port, 7);
  EXPECT_EQ(check.sources.at("port"), "--port");
}

TEST(ConfigFile, ConfigInsideAConfigFileIsAnError) {
  ConfigFile other("workers = 2\n");
  ConfigFile file("workers = 3\nconfig = " + other.path() + "\n");
  EXPECT_EQ(ErrorOf({"--config", file.path()}),
            file.path() + ":2: config cannot be set inside a config file");
}

TEST(ConfigFile, ADirectoryIsAnError) {
  const std::string dir = std::filesystem::temp_directory_path();
  EXPECT_EQ(ErrorOf({"--config", dir}), "config file " + dir + " is a directory, not a file");
  EXPECT_EQ(ErrorOf({}, {{"FIBPOOL_CONFIG", dir}}),
            "config file " + dir + " is a directory, not a file");
}

TEST(Config, ExtraPositionalArgumentsAreAnError) {
  EXPECT_EQ(ErrorOf({"--workers", "2", "extra"}),
            "unexpected argument 'extra': settings are given as --NAME VALUE");
  EXPECT_EQ(ErrorOf({"workers=2"}),
            "unexpected argument 'workers=2': settings are given as --NAME VALUE");
}

TEST(Config, UnknownEnvironmentVariableWarnsWithTheClosestSetting) {
  const ConfigOutcome o = LoadConfig({}, {{"FIBPOOL_WORKRS", "3"},
                                          {"FIBPOOL_MAXN", "5"},
                                          {"FIBPOOL_ZZZZZZZZZZZZ", "1"},
                                          {"FIBPOOL_WORKERS", "2"},
                                          {"FIBPOOL_CONFIG", ""},
                                          {"OTHER", "1"}});
  EXPECT_EQ(o.config.workers, 2u);
  EXPECT_EQ(o.warnings,
            (std::vector<std::string>{
                "FIBPOOL_MAXN is not a fibpool setting and is ignored; did you mean FIBPOOL_MAX_N?",
                "FIBPOOL_WORKRS is not a fibpool setting and is ignored; did you mean "
                "FIBPOOL_WORKERS?",
                "FIBPOOL_ZZZZZZZZZZZZ is not a fibpool setting and is ignored"}));
  EXPECT_TRUE(LoadConfig({}, {{"FIBPOOL_MAX_N", "5"}}).warnings.empty());
}

TEST(Config, LogLevelAcceptsAnyCaseAndWarning) {
  EXPECT_EQ(Load({"--log-level", "INFO"}).log_level, "info");
  EXPECT_EQ(Load({"--log-level", "Warning"}).log_level, "warn");
  EXPECT_EQ(Load({"--log-level", "warning"}).log_level, "warn");
  EXPECT_EQ(Load({}, {{"FIBPOOL_LOG_LEVEL", "DEBUG"}}).log_level, "debug");
  EXPECT_EQ(ErrorOf({"--log-level", "loud"}),
            "log_level must be trace, debug, info, warn (or warning), error, critical, off; any "
            "case, got 'loud' (from --log-level)");
}

TEST(Config, ProxyProtocolIsOffByDefaultAndTakesTrueOrFalseInEveryLayer) {
  EXPECT_FALSE(Load({}).proxy_protocol);
  for (const char* on : {"true", "TRUE", "on", "yes", "1"}) {
    EXPECT_TRUE(Load({"--proxy-protocol", on}).proxy_protocol) << on;
  }
  for (const char* off : {"false", "Off", "no", "0"}) {
    EXPECT_FALSE(
        Load({"--proxy-protocol", off}, {{"FIBPOOL_PROXY_PROTOCOL", "true"}}).proxy_protocol)
        << off;
  }
  EXPECT_TRUE(Load({}, {{"FIBPOOL_PROXY_PROTOCOL", "on"}}).proxy_protocol);
  ConfigFile file("proxy_protocol = true\n");
  EXPECT_TRUE(Load({"--config", file.path()}).proxy_protocol);
  EXPECT_EQ(ErrorOf({"--proxy-protocol", "maybe"}),
            "proxy_protocol must be true, false, on, off, yes, no, 1 or 0, got 'maybe' "
            "(from --proxy-protocol)");
}

TEST(Config, AccessLogIsOffByDefaultAndTakesOnOffOrAShare) {
  EXPECT_EQ(Load({}).access_log, 0);
  EXPECT_EQ(Load({"--access-log", "on"}).access_log, 1);
  EXPECT_EQ(Load({"--access-log", "OFF"}, {{"FIBPOOL_ACCESS_LOG", "on"}}).access_log, 0);
  EXPECT_EQ(Load({}, {{"FIBPOOL_ACCESS_LOG", "0.01"}}).access_log, 0.01);
  ConfigFile file("access_log = 1\n");
  EXPECT_EQ(Load({"--config", file.path()}).access_log, 1);
  EXPECT_EQ(Load({"--access-log", "0.0000001"}).access_log, 1e-6);  // the least share above 0
  for (const char* wrong : {"1.5", "-0.1", "yes", "", "nan"}) {
    EXPECT_EQ(ErrorOf({"--access-log", wrong}),
              std::string("access_log must be off, on, or a fraction 0 to 1 (0.01: one request "
                          "in a hundred), got '") +
                  wrong + "' (from --access-log)");
  }
  const Setting* setting = FindSetting("access_log");
  ASSERT_NE(setting, nullptr);
  EXPECT_EQ(DefaultText(*setting), "off");
  Config config;
  config.access_log = 0.25;
  EXPECT_EQ(setting->show(config), "0.25");
}

TEST(Config, HostNameIsResolvedToAnAddress) {
  EXPECT_EQ(Load({"--host", "localhost"}).host, "127.0.0.1");
  EXPECT_EQ(Load({"--host", "0.0.0.0"}).host, "0.0.0.0");
  EXPECT_EQ(Load({"--host", "::1"}).host, "::1");
  const std::string error = ErrorOf({"--host", "no-such-host.invalid"});
  EXPECT_EQ(error.rfind("host must be an IP address or a host name that resolves, got "
                        "'no-such-host.invalid' (",
                        0),
            0u)
      << error;
  EXPECT_NE(error.find("(from --host)"), std::string::npos) << error;
}

TEST(Config, WithoutLookupAHostNameIsKeptAsGivenEvenOneThatDoesNotResolve) {
  const Config config =
      LoadConfig({"--host", "no-such-host.invalid"}, {}, HostLookup::kSkip).config;
  EXPECT_EQ(config.host_setting, "no-such-host.invalid");
  EXPECT_EQ(ErrorOf({"--host", ""}).rfind("host must be an IP address or a host name", 0), 0u);
}

TEST(ReloadSummary, AHostNameComparesAsGivenAndOneThatDoesNotResolveNeedsARestart) {
  const Config running = Load({"--host", "localhost"});
  ASSERT_EQ(running.host, "127.0.0.1");
  const ConfigOutcome same = LoadConfig({"--host", "localhost"}, {}, HostLookup::kSkip);
  EXPECT_NE(ReloadSummary(running, same).find("restart_needed=none"), std::string::npos)
      << ReloadSummary(running, same);
  const ConfigOutcome next = LoadConfig({"--host", "no-such-host.invalid"}, {}, HostLookup::kSkip);
  EXPECT_NE(ReloadSummary(running, next)
                .find("restart_needed=\"host localhost->no-such-host.invalid, metrics_host "
                      "localhost->no-such-host.invalid\""),
            std::string::npos)
      << ReloadSummary(running, next);
}

TEST(Config, HelpStatesEachRangeAndDefault) {
  // --help wraps its lines: compare with every run of blanks as one space.
  std::string help;
  for (const char c : LoadConfig({"--help"}, {}).text) {
    const bool blank = c == ' ' || c == '\n';
    if (!blank || (!help.empty() && help.back() != ' ')) help.push_back(blank ? ' ' : c);
  }
  EXPECT_NE(help.find("(0 to 65535; default 25000)"), std::string::npos) << help;
  EXPECT_NE(help.find("(16 to 1048576; default 1024)"), std::string::npos) << help;
  EXPECT_NE(help.find("(0.001 to 31536000 seconds; default 30)"), std::string::npos) << help;
}

TEST(ReloadSummary, ListsLiveChangesRestartNeededAndOverrides) {
  ConfigFile file("workers = 2\nport = 3000\nmax_n = 500\njob_timeout = 2.5\n");
  const ConfigOutcome next = LoadConfig({"--config", file.path()}, {{"FIBPOOL_PORT", "4000"}});
  Config running;
  running.config_file = file.path();
  running.workers = 3;
  running.port = 4000;
  running.io_threads = next.config.io_threads;
  running.max_connections_per_client = next.config.max_connections_per_client;
  EXPECT_EQ(ReloadSummary(running, next),
            "config=" + file.path() +
                " applied=\"workers 3->2, job_timeout 30->2.5\" restart_needed=\"max_n "
                "100000000->500\" overridden=\"port (FIBPOOL_PORT over " +
                file.path() + ":2)\"");
}

TEST(ReloadSummary, NothingChangedSaysNone) {
  ConfigFile file("workers = 2\n");
  const ConfigOutcome next = LoadConfig({"--config", file.path()}, {});
  EXPECT_EQ(ReloadSummary(next.config, next),
            "config=" + file.path() + " applied=none restart_needed=none overridden=none");
}

TEST(Config, AvailableCpusIsAtLeastOneAndAtMostTheAffinityMask) {
  const unsigned cpus = AvailableCpus();
  EXPECT_GE(cpus, 1u);
  EXPECT_LE(cpus, static_cast<unsigned>(::sysconf(_SC_NPROCESSORS_ONLN)));
}

}  // namespace
}  // namespace fibpool::supervisor
