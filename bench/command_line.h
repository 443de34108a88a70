// The bench programs' command lines, read with Boost.ProgramOptions.
// Header-only.
#pragma once

#include <iostream>
#include <optional>

#include <boost/program_options.hpp>

namespace fibpool::bench {

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
