// fibpool-worker: started only by the supervisor (see worker_loop.h), with the
// command line of ipc/worker_args.h.
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "ipc/log_format.h"
#include "ipc/worker_args.h"
#include "worker/worker_loop.h"

int main(int argc, char** argv) {
  // Ctrl-C and Ctrl-\ in a terminal, `kill -- -PGID`, `timeout` and systemd's
  // KillMode=control-group signal the whole process group. The supervisor
  // alone decides when workers stop (sentinels; the parent-death signal if it
  // dies), so a worker ignores these, and the signals the supervisor logs and
  // ignores (USR1, USR2), from its first instruction, long before it reports
  // ready.
  for (const int signo : {SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2}) {
    std::signal(signo, SIG_IGN);
  }
  const std::vector<std::string> words(argv + 1, argv + argc);
  const auto args = fibpool::ipc::ParseWorkerArgs(words);
  if (!args) {
    std::cerr << "fibpool-worker (started by fibpool): " << args.error().message() << " in:";
    for (const auto& word : words) std::cerr << ' ' << word;
    std::cerr << "\n";
    return 2;
  }
  // stderr, which the worker shares with the supervisor (its stdout is
  // /dev/null): the worker's lines land in the same log.
  spdlog::set_default_logger(spdlog::stderr_logger_st("fibpool-worker"));
  spdlog::set_level(spdlog::level::from_str(args->log_level));
  spdlog::set_pattern(fibpool::ipc::LogPattern("fibpool-worker"), spdlog::pattern_time_type::utc);
  return fibpool::worker::RunWorker(*args);
}
