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

int main(int argc, char** argv) {
  namespace po = boost::program_options;
  std::signal(SIGPIPE, SIG_IGN);
  fibpool::bench::BaselineOptions options;
  unsigned threads = 1;
  po::options_description desc(
      "fibpool-baseline: fibpool's event loop and protocol computing inline, no worker pool");
  fibpool::bench::AddServerOptions(desc, &options.host, &options.port, &threads);
  desc.add_options()("max-n", po::value(&options.max_n)->default_value(options.max_n),
                     "largest n for fast");
  try {
    const auto vm = fibpool::bench::ParseCommandLine(argc, argv, desc);
    if (!vm) return 0;  // --help
    fibpool::bench::BaselineLoops loops(options, fibpool::bench::LoopCount(threads));
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
