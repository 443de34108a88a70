// fibpool's settings (README.md, "Settings") and how
// they are read: command line, then FIBPOOL_* environment, then the INI file
// named by --config / FIBPOOL_CONFIG, then built-in defaults.
//
// Every value is checked against its setting's range (settings.h, the one
// table of settings); a wrong one is an error that names the setting, the
// allowed values and where the value came from (--flag, FIBPOOL_NAME or
// FILE:LINE), even when a higher layer overrides it.
//
// Failure behaviour: LoadConfig throws ConfigError with a one-line message for
// the user (unknown option, extra argument, bad value, unreadable file, a bad
// line in the file). Start-up and SIGHUP only.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "ipc/defaults.h"
#include "ipc/job.h"

namespace fibpool::supervisor {

// The most io_threads a supervisor runs.
inline constexpr unsigned kMaxIoThreads = 64;

struct Config {
  std::string config_file;  // empty: none
  std::string host = "127.0.0.1";  // the address to listen on: host_setting, resolved at start
  std::string host_setting = host;  // the host setting as given: an address or a name
  std::uint16_t port = 25000;
  unsigned workers = 0;                       // 0 before LoadConfig; then >= 1
  unsigned reserve_workers = 1;               // extra workers that run only cheap jobs
  unsigned io_threads = 0;                    // 0 before LoadConfig; then >= 1 (DefaultIoThreads)
  int worker_nice = ipc::kDefaultWorkerNice;  // nice value of the (main-lane) workers
  ipc::Algorithm algorithm = ipc::Algorithm::kFast;
  std::uint64_t max_n = ipc::kDefaultMaxN;
  std::chrono::milliseconds job_timeout{30'000};
  std::string log_level{ipc::kDefaultLogLevel};
  std::size_t max_line = 1024;
  std::size_t max_backlog = 10'000;                     // jobs waiting for a worker, all clients
  std::chrono::milliseconds max_wait{0};                // refuse a longer estimated wait; 0: off
  std::chrono::milliseconds quarantine_period{60'000};  // refuse an input that killed two workers
  std::size_t max_inflight_per_connection = 1'024;      // unanswered requests before reading pauses
  std::uint64_t max_output_per_connection = 64u << 20;  // answer bytes held before reading pauses
  std::size_t max_connections = 10'000;                 // over it: ERR busy and close
  std::size_t max_connections_per_client = 0;  // 0 before LoadConfig (DefaultConnectionsPerClient)
  std::chrono::milliseconds idle_timeout{300'000};      // close a connection silent this long
  bool proxy_protocol = false;  // every line connection begins with a PROXY protocol header
  int metrics_port = -1;        // HTTP /metrics and /healthz; -1: off
  int agent_port = -1;          // HAProxy's agent check; -1: off
  std::string metrics_host;     // listen address of the metrics and agent ports; empty: host
  std::string metrics_host_setting;  // metrics_host as given (a name, unresolved); empty: unset
  bool line_stats = true;       // `stats` answered on the line port
  double access_log = 0;        // share of answered requests in the access log; 0: off
  // A supervisor thread polls for events this long after its last before
  // it sleeps (net/event_loop.h); 0: it sleeps at once.
  std::chrono::microseconds supervisor_spin{30};
  std::chrono::microseconds worker_spin =
      ipc::kDefaultWorkerSpin;             // workers busy-wait this long before sleeping
  std::uint64_t max_jobs_per_worker = 0;   // recycle a worker after this many jobs; 0: never
  std::uint64_t max_worker_memory_mb = 0;  // per-worker memory limit in MiB; 0: none
  std::string worker_path;                 // empty: fibpool-worker beside fibpool
};

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ConfigOutcome {
  enum class Action { kRun, kHelp, kVersion, kCheck };
  Action action = Action::kRun;
  Config config;
  std::string text;  // what to print for kHelp / kVersion
  // kVersion and kCheck come after every setting was read and checked, as
  // for kRun; kHelp before.
  // Where each setting not at its default came from ("--port", "FIBPOOL_PORT",
  // "FILE:LINE"), by command-line name ("max-n").
  std::map<std::string, std::string> sources;
  // Settings the config file sets but the environment or the command line
  // overrides: name -> "FILE:LINE" of the overridden line.
  std::map<std::string, std::string> overridden_in_file;
  // For the operator at start: unknown FIBPOOL_* variables, with the closest
  // setting's variable when one is close.
  std::vector<std::string> warnings;
};

using Environment = std::map<std::string, std::string>;

// Whether LoadConfig looks the host setting up. At start it does (a name
// that does not resolve is an error). On SIGHUP it does not: host applies
// only at the next start, which looks it up then, and a lookup on the
// pool's thread could stall every connection for as long as the resolver
// takes, or fail the whole reload.
enum class HostLookup {
  kResolve,  // Config::host is the address host_setting names
  kSkip,     // Config::host is host_setting as given, unchecked beyond being non-empty
};

// `args` excludes the program name. Only FIBPOOL_* entries of `env` are read;
// an empty one counts as unset. A host name is resolved to an address here,
// with HostLookup::kResolve.
ConfigOutcome LoadConfig(const std::vector<std::string>& args, const Environment& env,
                         HostLookup lookup = HostLookup::kResolve);

// Where the metrics (status page) and agent ports listen: metrics_host, or
// host when it is not set.
const std::string& MetricsHost(const Config& config);

// The process environment as an Environment.
Environment CurrentEnvironment();

// CPUs this process may use: its affinity mask, capped by a cgroup CPU quota.
unsigned AvailableCpus();

// The supervisor threads that serve connections when io_threads is 0 (auto),
// for `cpus` CPUs: one per four CPUs, the rest left to the workers, and 1
// (connections on the pool's own thread, no hand-over between threads) below
// four CPUs.
unsigned DefaultIoThreads(unsigned cpus);

// max_connections_per_client when it is 0 (auto): a quarter of
// `max_connections`, rounded up, so that one address takes at most a
// quarter of the connection slots.
std::size_t DefaultConnectionsPerClient(std::size_t max_connections);

}  // namespace fibpool::supervisor
