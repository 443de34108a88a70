// fibpool: the supervisor. See server.h for what it does, docs/protocol.md for
// what its clients see.
#include <csignal>
#include <iostream>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "ipc/log_format.h"
#include "os/scheduling.h"
#include "supervisor/config/config.h"
#include "supervisor/config/config_report.h"
#include "supervisor/net/inherited_sockets.h"
#include "supervisor/pool/pool_options.h"
#include "supervisor/pool/worker_executable.h"
#include "supervisor/server.h"

int main(int argc, char** argv) {
  using namespace fibpool::supervisor;
  std::signal(SIGPIPE, SIG_IGN);
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    // First: it removes the socket activation variables from the environment.
    InheritedSockets inherited = InheritedSockets::FromEnvironment();
    const Environment env = CurrentEnvironment();
    ConfigOutcome outcome = LoadConfig(args, env);
    if (outcome.action == ConfigOutcome::Action::kHelp ||
        outcome.action == ConfigOutcome::Action::kVersion) {
      std::cout << outcome.text;
      return 0;
    }
    // What the Server checks before it starts anything, checked alike.
    const std::string worker = PoolOptionsFrom(outcome.config).worker_path.string();
    if (const auto problem = WorkerExecutableProblem(worker)) throw ConfigError(*problem);
    if (outcome.action == ConfigOutcome::Action::kCheck) {
      std::cout << ConfigReport(outcome, worker);
      return 0;
    }
    // _mt: the I/O threads log too (io_threads > 1).
    spdlog::set_default_logger(spdlog::stderr_logger_mt("fibpool"));
    spdlog::set_level(spdlog::level::from_str(outcome.config.log_level));
    spdlog::set_pattern(fibpool::ipc::LogPattern("fibpool"), spdlog::pattern_time_type::utc);
    for (const std::string& warning : outcome.warnings) {
      spdlog::warn("event=config_warning why=\"{}\"", warning);
    }
    // The event loop runs the moment a client or a worker needs it, even
    // while big jobs hold every CPU (os/scheduling.h).
    fibpool::os::SetScheduling(0, fibpool::os::kLatencySlice);
    Server server(outcome.config, args, env, std::move(inherited));
    return server.Run();
  } catch (const ConfigError& e) {
    std::cerr << "fibpool: " << e.what() << "\n(see fibpool --help)\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "fibpool: " << e.what() << "\n";
    return 1;
  }
}
