// fibpool-baseline: the benchmark's baseline server (baseline_server.h), a
// fibpool without a pool. Prints "fibpool-baseline listening on HOST:PORT
// workers=0" when ready; SIGTERM/SIGINT drain and exit 0.
#include <csignal>
#include <cstdio>
#include <iostream>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/program_options.hpp>

#include "bench/baseline_server.h"
#include "bench/command_line.h"

int main(int argc, char** argv) {
  namespace po = boost::program_options;
  std::signal(SIGPIPE, SIG_IGN);
  fibpool::bench::BaselineOptions options;
  po::options_description desc(
      "fibpool-baseline: fibpool's event loop and protocol computing inline, no worker pool");
  auto add = desc.add_options();
  add("help", "this text");
  add("host", po::value(&options.host)->default_value(options.host), "address to listen on");
  add("port", po::value(&options.port)->default_value(options.port), "port (0: a free one)");
  add("max-n", po::value(&options.max_n)->default_value(options.max_n), "largest n for fast");
  try {
    const auto vm = fibpool::bench::ParseCommandLine(argc, argv, desc);
    if (!vm) return 0;  // --help
    boost::asio::io_context io;
    fibpool::bench::BaselineServer server(io, options);
    boost::asio::signal_set signals(io, SIGTERM, SIGINT);
    signals.async_wait([&server](const boost::system::error_code& ec, int) {
      if (!ec) server.Stop();
    });
    server.Start();
    const auto bound = server.local_endpoint();
    std::printf("fibpool-baseline listening on %s:%u workers=0\n",
                bound.address().to_string().c_str(), static_cast<unsigned>(bound.port()));
    std::fflush(stdout);
    io.run();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "fibpool-baseline: " << e.what() << "\n";
    return 1;
  }
}
