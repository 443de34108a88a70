// The bench programs' command lines, read with Boost.ProgramOptions.
// Header-only.
#pragma once

#include <cstdint>
#include <iostream>
#include <optional>
#include <string>

#include <boost/program_options.hpp>

#include "bench/usable_cpus.h"

namespace fibpool::bench {

// The options of the bench's servers (fibpool-baseline, fibpool-minimal):
// --help, --host, --port, --threads, with the variables' values as defaults.
inline void AddServerOptions(boost::program_options::options_description& options,
                             std::string* host, std::uint16_t* port, unsigned* threads) {
  namespace po = boost::program_options;
  auto add = options.add_options();
  add("help", "this text");
  add("host", po::value(host)->default_value(*host), "address to listen on");
  add("port", po::value(port)->default_value(*port), "port (0: a free one)");
  add("threads", po::value(threads)->default_value(*threads),
      "event loops, one thread each, sharing the port with SO_REUSEPORT (0: one per usable CPU)");
}

// --threads as given, 0 meaning one per usable CPU.
inline unsigned LoopCount(unsigned threads) { return threads == 0 ? UsableCpus() : threads; }

// Reads argv into the variables `options` names and returns what it found;
// with --help (which `options` must declare) it prints `options` on stdout
// and returns std::nullopt. Throws what Boost.ProgramOptions throws on a bad
// command line.
inline std::optional<boost::program_options::variables_map> ParseCommandLine(
    int argc, char** argv, const boost::program_options::options_description& options) {
  namespace po = boost::program_options;
  po::variables_map vm;
  po::store(po::parse_command_line(argc, argv, options), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << options;
    return std::nullopt;
  }
  return vm;
}

}  // namespace fibpool::bench
