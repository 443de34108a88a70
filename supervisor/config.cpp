#include "supervisor/config.h"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <boost/program_options.hpp>

extern char** environ;

namespace fibpool::supervisor {

namespace po = boost::program_options;

namespace {

constexpr const char* kEnvPrefix = "FIBPOOL_";

po::options_description Options() {
  po::options_description desc(
      "Options (also FIBPOOL_<NAME> in the environment and NAME = VALUE in the config file)");
  // clang-format off
  desc.add_options()
      ("help", "print this help and exit")
      ("version", "print the version and exit")
      ("config", po::value<std::string>(), "INI-style config file")
      ("host", po::value<std::string>(), "listen address (default 127.0.0.1)")
      ("port", po::value<std::uint16_t>(), "listen port, 0 picks a free one (default 25000)")
      ("workers", po::value<unsigned>(), "worker processes (default: CPUs this process may use)")
      ("reserve-workers", po::value<unsigned>(),
       "extra workers kept for cheap jobs while big ones hold the others, 0 to 16 (default 1)")
      ("worker-nice", po::value<int>(),
       "nice value of the workers, 0 to 19; the supervisor and the reserve workers stay at 0 (default 10)")
      ("algorithm", po::value<std::string>(), "default algorithm: fast or recursive (default fast)")
      ("max-n", po::value<std::uint64_t>(), "largest N for fast (default 100000000)")
      ("job-timeout", po::value<double>(), "seconds a job may run before its worker is killed (default 30)")
      ("log-level", po::value<std::string>(), "trace, debug, info, warn, error, critical, off (default info)")
      ("max-line", po::value<std::size_t>(), "longest request line in bytes (default 1024)")
      ("max-backlog", po::value<std::size_t>(), "jobs waiting for a worker before ERR busy (default 10000)")
      ("max-inflight-per-connection", po::value<std::size_t>(),
       "unanswered requests per connection before the server stops reading it (default 1024)")
      ("max-output-per-connection", po::value<std::uint64_t>(),
       "bytes of answers held for one connection before the server stops reading it (default 67108864)")
      ("max-connections", po::value<std::size_t>(),
       "open client connections; past it a new one gets ERR busy and is closed (default 10000)")
      ("idle-timeout", po::value<double>(),
       "seconds a connection with nothing pending may stay silent before it is closed (default 300)")
      ("metrics-port", po::value<int>(),
       "serve Prometheus /metrics and /healthz over HTTP on this port; 0 picks one; -1 = off (default -1)")
      ("worker-spin-us", po::value<unsigned>(), "microseconds an idle worker spins before sleeping (default 50)")
      ("max-jobs-per-worker", po::value<std::uint64_t>(),
       "replace a worker after this many jobs; 0 = never (default 0)")
      ("max-worker-memory", po::value<std::uint64_t>(),
       "MiB a worker may use: larger jobs fail up front, a worker left above it is replaced (default 0 = no limit)")
      ("worker-path", po::value<std::string>(), "fibpool-worker executable (default: beside fibpool)");
  // clang-format on
  return desc;
}

// Config-file and environment names use '_' where the command line uses '-'.
std::string OptionName(std::string key) {
  std::transform(key.begin(), key.end(), key.begin(), [](char c) {
    return c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return key;
}

std::string ReadConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("cannot read config file " + path);
  std::ostringstream out;
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    const auto first = line.find_first_not_of(" \t");
    const bool comment = first == std::string::npos || line[first] == '#' || line[first] == ';' ||
                         line[first] == '[';
    if (comment || eq == std::string::npos) {
      out << line << '\n';
      continue;
    }
    std::string key = line.substr(0, eq);
    key.erase(0, key.find_first_not_of(" \t"));
    key.erase(key.find_last_not_of(" \t") + 1);
    out << OptionName(key) << " =" << line.substr(eq + 1) << '\n';
  }
  return out.str();
}

template <class T>
void Take(const po::variables_map& vm, const char* name, T* out) {
  if (vm.count(name)) *out = vm[name].as<T>();
}

// A duration given in (fractional) seconds, stored in milliseconds.
void TakeSeconds(const po::variables_map& vm, const char* name, std::chrono::milliseconds* out) {
  if (!vm.count(name)) return;
  const double seconds = vm[name].as<double>();
  if (!(seconds > 0) || seconds > 86400 * 365) {
    throw ConfigError(std::string(name) + " must be a positive number of seconds");
  }
  *out = std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(seconds * 1000)));
}

Config Build(const po::variables_map& vm) {
  Config c;
  Take(vm, "config", &c.config_file);
  Take(vm, "host", &c.host);
  Take(vm, "port", &c.port);
  Take(vm, "workers", &c.workers);
  Take(vm, "reserve-workers", &c.reserve_workers);
  Take(vm, "worker-nice", &c.worker_nice);
  if (vm.count("algorithm")) {
    const auto a = ipc::ParseAlgorithm(OptionName(vm["algorithm"].as<std::string>()));
    if (!a) throw ConfigError("algorithm must be fast or recursive");
    c.algorithm = *a;
  }
  Take(vm, "max-n", &c.max_n);
  TakeSeconds(vm, "job-timeout", &c.job_timeout);
  Take(vm, "log-level", &c.log_level);
  Take(vm, "max-line", &c.max_line);
  Take(vm, "max-backlog", &c.max_backlog);
  Take(vm, "max-inflight-per-connection", &c.max_inflight_per_connection);
  Take(vm, "max-output-per-connection", &c.max_output_per_connection);
  Take(vm, "max-connections", &c.max_connections);
  TakeSeconds(vm, "idle-timeout", &c.idle_timeout);
  Take(vm, "metrics-port", &c.metrics_port);
  if (vm.count("worker-spin-us"))
    c.worker_spin = std::chrono::microseconds(vm["worker-spin-us"].as<unsigned>());
  Take(vm, "max-jobs-per-worker", &c.max_jobs_per_worker);
  Take(vm, "max-worker-memory", &c.max_worker_memory_mb);
  Take(vm, "worker-path", &c.worker_path);

  if (c.workers == 0) c.workers = AvailableCpus();
  if (c.workers > kMaxWorkers)
    throw ConfigError("workers must be 1 to " + std::to_string(kMaxWorkers));
  if (c.worker_nice < 0 || c.worker_nice > 19) throw ConfigError("worker-nice must be 0 to 19");
  if (c.reserve_workers > 16) throw ConfigError("reserve-workers must be 0 to 16");
  if (c.max_n > 1'000'000'000) throw ConfigError("max-n must be at most 1000000000");
  if (c.max_line < 16) throw ConfigError("max-line must be at least 16");
  if (c.max_backlog == 0) throw ConfigError("max-backlog must be at least 1");
  if (c.max_inflight_per_connection == 0)
    throw ConfigError("max-inflight-per-connection must be at least 1");
  if (c.max_connections == 0) throw ConfigError("max-connections must be at least 1");
  if (c.metrics_port < -1 || c.metrics_port > 65535)
    throw ConfigError("metrics-port must be -1 (off) or 0 to 65535");
  static const char* kLevels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
  if (std::find(std::begin(kLevels), std::end(kLevels), c.log_level) == std::end(kLevels)) {
    throw ConfigError("log-level must be one of trace, debug, info, warn, error, critical, off");
  }
  return c;
}

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

Environment CurrentEnvironment() {
  Environment env;
  for (char** e = environ; e && *e; ++e) {
    const std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

ConfigOutcome LoadConfig(const std::vector<std::string>& args, const Environment& env) {
  const po::options_description desc = Options();
  po::variables_map vm;
  try {
    // The first value stored for an option wins: command line, environment, file.
    po::store(po::command_line_parser(args).options(desc).run(), vm);
    if (vm.count("help")) {
      std::ostringstream text;
      text << "Usage: fibpool [options]\nA Fibonacci service: a line protocol over TCP, answered "
              "by a\n"
              "pool of worker processes.\n\n"
           << desc;
      return {ConfigOutcome::Action::kHelp, {}, text.str()};
    }
    if (vm.count("version"))
      return {ConfigOutcome::Action::kVersion, {}, "fibpool " FIBPOOL_VERSION "\n"};

    std::ostringstream env_ini;
    for (const auto& [name, value] : env) {
      // An empty variable counts as unset (compose files pass FIBPOOL_X=${X:-}).
      if (name.rfind(kEnvPrefix, 0) != 0 || value.empty()) continue;
      const std::string option = OptionName(name.substr(std::string(kEnvPrefix).size()));
      if (option == "help" || option == "version" || !desc.find_nothrow(option, false)) continue;
      env_ini << option << " = " << value << '\n';
    }
    std::istringstream env_stream(env_ini.str());
    po::store(po::parse_config_file(env_stream, desc), vm);

    if (vm.count("config")) {
      std::istringstream file(ReadConfigFile(vm["config"].as<std::string>()));
      po::store(po::parse_config_file(file, desc), vm);
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw ConfigError(e.what());
  }
  ConfigOutcome outcome;
  outcome.config = Build(vm);
  return outcome;
}

}  // namespace fibpool::supervisor
