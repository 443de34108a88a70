// fibpool: the supervisor. See server.h for what it does, docs/protocol.md for
// what its clients see.
#include <csignal>
#include <iostream>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "os/scheduling.h"
#include "supervisor/config.h"
#include "supervisor/inherited_sockets.h"
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
    if (outcome.action != ConfigOutcome::Action::kRun) {
      std::cout << outcome.text;
      return 0;
    }
    spdlog::set_default_logger(spdlog::stderr_logger_st("fibpool"));
    spdlog::set_level(spdlog::level::from_str(outcome.config.log_level));
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %l fibpool[%P] %v");
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
