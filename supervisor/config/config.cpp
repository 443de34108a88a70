#include "supervisor/config/config.h"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <boost/program_options.hpp>

#include "supervisor/config/config_file.h"
#include "supervisor/config/settings.h"
#include "supervisor/config/slot_layout.h"

extern char** environ;

namespace fibpool::supervisor {

namespace po = boost::program_options;

namespace {

constexpr std::string_view kEnvPrefix = "FIBPOOL_";
constexpr const char* kConfigHelp =
    "INI-style config file: NAME = VALUE lines, '#' or ';' comments (FIBPOOL_CONFIG)";

std::string HelpOf(const Setting& s) {
  return std::string(s.help) + " (" + RangeText(s) + "; default " + DefaultText(s) + ")";
}

// Every option takes its value as text: settings.h checks it.
po::options_description Options() {
  po::options_description desc(
      "Options (also FIBPOOL_<NAME> in the environment and NAME = VALUE in the config file)");
  desc.add_options()("help", "print this help and exit")(
      "version", "check the settings, print the version and exit")(
      "check-config",
      "check the settings as a start would, print each one's value and where it came from, and "
      "exit: 0 when they are valid, 2 when not")("config", po::value<std::string>(), kConfigHelp);
  for (const Setting& s : Settings()) {
    desc.add_options()(std::string(s.name).c_str(), po::value<std::string>(), HelpOf(s).c_str());
  }
  return desc;
}

std::string EnvName(std::string_view setting) {
  std::string name = FileName(setting);
  std::transform(name.begin(), name.end(), name.begin(), [](char c) {
    return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  });
  return std::string(kEnvPrefix) + name;
}

// Builds a Config layer by layer, lowest first, recording where each value
// came from.
class Layers {
 public:
  Layers(ConfigOutcome* outcome, HostLookup lookup) : out_(outcome), lookup_(lookup) {}

  void Set(const Setting& s, std::string_view text, const std::string& where) {
    if (const auto wrong = Assign(s, text, out_->config, lookup_)) {
      throw ConfigError(*wrong + " (from " + where + ")");
    }
    const std::string name(s.name);
    if (in_file_.count(name)) out_->overridden_in_file[name] = in_file_[name];
    out_->sources[name] = where;
  }
  void SetFromFile(const Setting& s, std::string_view text, const std::string& where) {
    Set(s, text, where);
    in_file_[std::string(s.name)] = where;
  }

 private:
  ConfigOutcome* out_;
  HostLookup lookup_;
  std::map<std::string, std::string> in_file_;
};

unsigned CgroupCpuLimit() {
  // cgroup v2: "max 100000" or "<quota> <period>"
  std::ifstream v2("/sys/fs/cgroup/cpu.max");
  std::string quota;
  double period = 0;
  if (v2 >> quota >> period && quota != "max" && period > 0) {
    char* end = nullptr;
    const double q = std::strtod(quota.c_str(), &end);
    if (q > 0) return static_cast<unsigned>(std::ceil(q / period));
  }
  std::ifstream q1("/sys/fs/cgroup/cpu/cpu.cfs_quota_us");
  std::ifstream p1("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
  double q = -1;
  if (q1 >> q && p1 >> period && q > 0 && period > 0) {
    return static_cast<unsigned>(std::ceil(q / period));
  }
  return 0;
}

}  // namespace

unsigned AvailableCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  unsigned cpus = 1;
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    cpus = static_cast<unsigned>(CPU_COUNT(&set));
  } else {
    const long online = sysconf(_SC_NPROCESSORS_ONLN);
    cpus = online > 0 ? static_cast<unsigned>(online) : 1;
  }
  const unsigned quota = CgroupCpuLimit();
  if (quota > 0) cpus = std::min(cpus, quota);
  return std::clamp(cpus, 1u, kMaxWorkers);
}

unsigned DefaultIoThreads(unsigned cpus) { return std::max(1u, cpus / 4); }

std::size_t DefaultConnectionsPerClient(std::size_t max_connections) {
  return (max_connections + 3) / 4;
}

const std::string& MetricsHost(const Config& config) {
  return config.metrics_host.empty() ? config.host : config.metrics_host;
}

Environment CurrentEnvironment() {
  Environment env;
  for (char** e = environ; e && *e; ++e) {
    const std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

ConfigOutcome LoadConfig(const std::vector<std::string>& args, const Environment& env,
                         HostLookup lookup) {
  const po::options_description desc = Options();
  // Positional arguments land in a hidden option, to be named in the error.
  po::options_description parsed;
  parsed.add(desc).add_options()("positional", po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add("positional", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(parsed).positional(positional).run(), vm);
  } catch (const po::error& e) {
    throw ConfigError(e.what());
  }
  if (vm.count("help")) {
    std::ostringstream text;
    text << "Usage: fibpool [options]\nA Fibonacci service: a line protocol over TCP, answered "
            "by a\npool of worker processes.\n\n"
         << desc;
    ConfigOutcome help;
    help.action = ConfigOutcome::Action::kHelp;
    help.text = text.str();
    return help;
  }
  if (vm.count("positional")) {
    throw ConfigError("unexpected argument '" +
                      vm["positional"].as<std::vector<std::string>>().front() +
                      "': settings are given as --NAME VALUE");
  }

  ConfigOutcome outcome;
  Layers layers(&outcome, lookup);
  const std::string config_env = EnvName("config");
  if (vm.count("config")) {
    outcome.config.config_file = vm["config"].as<std::string>();
  } else if (const auto it = env.find(config_env); it != env.end() && !it->second.empty()) {
    outcome.config.config_file = it->second;
  }
  if (!outcome.config.config_file.empty()) {
    for (const ConfigFileEntry& entry : ReadConfigFile(outcome.config.config_file)) {
      layers.SetFromFile(*FindSetting(entry.name), entry.value, entry.where);
    }
  }
  for (const auto& [name, value] : env) {
    if (!name.starts_with(kEnvPrefix) || name == config_env) continue;
    const Setting* s = FindSetting(name.substr(kEnvPrefix.size()));
    if (!s || EnvName(s->name) != name) {
      const Setting* closest = ClosestSetting(name.substr(kEnvPrefix.size()));
      outcome.warnings.push_back(name + " is not a fibpool setting and is ignored" +
                                 (closest ? "; did you mean " + EnvName(closest->name) + "?" : ""));
      continue;
    }
    // An empty variable counts as unset (compose files pass FIBPOOL_X=${X:-}).
    if (!value.empty()) layers.Set(*s, value, name);
  }
  for (const Setting& s : Settings()) {
    const std::string name(s.name);
    if (vm.count(name)) layers.Set(s, vm[name].as<std::string>(), "--" + name);
  }
  if (outcome.config.workers == 0) outcome.config.workers = AvailableCpus();
  if (outcome.config.io_threads == 0) outcome.config.io_threads = DefaultIoThreads(AvailableCpus());
  Config& c = outcome.config;
  if (c.max_connections_per_client == 0) {
    c.max_connections_per_client = DefaultConnectionsPerClient(c.max_connections);
  }
  if (vm.count("version")) {
    outcome.action = ConfigOutcome::Action::kVersion;
    outcome.text = "fibpool " FIBPOOL_VERSION "\n";
  } else if (vm.count("check-config")) {
    outcome.action = ConfigOutcome::Action::kCheck;
  }
  return outcome;
}

}  // namespace fibpool::supervisor
