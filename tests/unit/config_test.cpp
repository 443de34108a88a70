#include "supervisor/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "tests/support/temp_file.h"

namespace fibpool::supervisor {
namespace {

using ConfigFile = testing::TempFile;

Config Load(const std::vector<std::string>& args, const Environment& env = {}) {
  const ConfigOutcome outcome = LoadConfig(args, env);
  EXPECT_EQ(outcome.action, ConfigOutcome::Action::kRun);
  return outcome.config;
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

TEST(Config, AvailableCpusIsAtLeastOneAndAtMostTheAffinityMask) {
  const unsigned cpus = AvailableCpus();
  EXPECT_GE(cpus, 1u);
  EXPECT_LE(cpus, static_cast<unsigned>(::sysconf(_SC_NPROCESSORS_ONLN)));
}

}  // namespace
}  // namespace fibpool::supervisor
