// fibpool-worker: started only by the supervisor (see worker_loop.h).
#include <csignal>
#include <exception>
#include <iostream>

#include <spdlog/spdlog.h>
#include <boost/program_options.hpp>

#include "worker/worker_loop.h"

int main(int argc, char** argv) {
  // Ctrl-C in a terminal, `kill -- -PGID`, `timeout` and systemd's
  // KillMode=control-group signal the whole process group. The supervisor
  // alone decides when workers stop (sentinels; the parent-death signal if it
  // dies), so a worker ignores these from its first instruction, long before
  // it reports ready.
  for (const int signo : {SIGTERM, SIGINT, SIGHUP}) std::signal(signo, SIG_IGN);
  namespace po = boost::program_options;
  fibpool::worker::WorkerOptions options;
  std::string log_level = "info";
  std::uint64_t spin_us = 50;
  std::int64_t slice_us = 0;
  std::uint64_t max_memory_mb = 0;
  po::options_description desc("fibpool-worker (started by fibpool)");
  // clang-format off
  desc.add_options()
      ("segment", po::value(&options.segment)->required(), "job queue segment")
      ("cell", po::value(&options.cell)->required(), "this worker's cell")
      ("supervisor-pid", po::value(&options.supervisor_pid)->required(), "parent pid")
      ("result-fd", po::value(&options.result_fd)->default_value(3), "result pipe fd")
      ("max-n", po::value(&options.limits.max_fast_n)->required(), "largest n for fast")
      ("inline-limit", po::value(&options.limits.inline_limit), "largest inline result")
      ("spin-us", po::value(&spin_us), "busy-wait before sleeping")
      ("max-jobs", po::value(&options.max_jobs), "recycle after this many jobs")
      ("nice", po::value(&options.nice), "raise the nice value to at least this")
      ("slice-us", po::value(&slice_us), "scheduler time slice (0: default)")
      ("max-memory-mb", po::value(&max_memory_mb), "memory limit in MiB")
      ("log-level", po::value(&log_level), "log level");
  // clang-format on
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "fibpool-worker: " << e.what() << "\n" << desc;
    return 2;
  }
  options.spin = std::chrono::microseconds(spin_us);
  options.slice = std::chrono::microseconds(slice_us);
  options.max_rss_bytes = max_memory_mb << 20;
  options.limits.max_memory_bytes = max_memory_mb << 20;
  spdlog::set_level(spdlog::level::from_str(log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %l fibpool-worker[%P] %v");
  return fibpool::worker::RunWorker(options);
}
