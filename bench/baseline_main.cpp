// fibpool-baseline: the benchmark's baseline server (baseline_loops.h), a
// fibpool without a pool, on one event loop or (--threads) several, each on
// its own thread. Prints "fibpool-baseline listening on HOST:PORT workers=0
// threads=N" when ready; SIGTERM/SIGINT drain every loop and exit 0.
#include <csignal>
#include <cstdio>
#include <iostream>

#include <boost/asio/signal_set.hpp>
#include <boost/program_options.hpp>

#include "bench/baseline_loops.h"
#include "bench/command_line.h"
#include "bench/usable_cpus.h"

int main(int argc, char** argv) {
  namespace po = boost::program_options;
  std::signal(SIGPIPE, SIG_IGN);
  fibpool::bench::BaselineOptions options;
  unsigned threads = 1;
  po::options_description desc(
      "fibpool-baseline: fibpool's event loop and protocol computing inline, no worker pool");
  auto add = desc.add_options();
  add("help", "this text");
  add("host", po::value(&options.host)->default_value(options.host), "address to listen on");
  add("port", po::value(&options.port)->default_value(options.port), "port (0: a free one)");
  add("max-n", po::value(&options.max_n)->default_value(options.max_n), "largest n for fast");
  add("threads", po::value(&threads)->default_value(threads),
      "event loops, one thread each, sharing the port with SO_REUSEPORT (0: one per usable CPU)");
  try {
    const auto vm = fibpool::bench::ParseCommandLine(argc, argv, desc);
    if (!vm) return 0;  // --help
    if (threads == 0) threads = fibpool::bench::UsableCpus();
    fibpool::bench::BaselineLoops loops(options, threads);
    boost::asio::signal_set signals(loops.first_io(), SIGTERM, SIGINT);
    signals.async_wait([&loops](const boost::system::error_code& ec, int) {
      if (!ec) loops.Stop();
    });
    const auto bound = loops.local_endpoint();
    std::printf("fibpool-baseline listening on %s:%u workers=0 threads=%u\n",
                bound.address().to_string().c_str(), static_cast<unsigned>(bound.port()),
                loops.size());
    std::fflush(stdout);
    loops.Run();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "fibpool-baseline: " << e.what() << "\n";
    return 1;
  }
}
