// fibpool-minimal: fibpool-bench's physical-limit reference (minimal_server.h),
// one epoll loop per usable CPU computing inline, no Asio. Prints
// "fibpool-minimal listening on HOST:PORT workers=0 threads=N" when ready;
// --read-per-request answers the articles' newline-less clients (a read
// without a LF is one request; minimal_server.h);
// SIGTERM/SIGINT stop every loop (open connections are closed, not drained)
// and exit 0. A socket that cannot be bound exits 1 with the reason on stderr.
#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

#include <boost/program_options.hpp>

#include "bench/command_line.h"
#include "bench/minimal_server.h"

int main(int argc, char** argv) {
  namespace po = boost::program_options;
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  unsigned threads = 0;
  po::options_description desc(
      "fibpool-minimal: one epoll loop per CPU computing inline, the bench's physical limit");
  fibpool::bench::AddServerOptions(desc, &host, &port, &threads);
  desc.add_options()("read-per-request",
                     "on a connection that has never sent a newline, each read is one request "
                     "(the articles' perf1/perf2 clients)");
  try {
    const auto vm = fibpool::bench::ParseCommandLine(argc, argv, desc);
    if (!vm) return 0;  // --help
    // The signals are taken by sigwait below, never delivered to a loop.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    fibpool::bench::MinimalServer server(host, port, fibpool::bench::LoopCount(threads),
                                         vm->count("read-per-request") > 0);
    std::printf("fibpool-minimal listening on %s:%u workers=0 threads=%u\n", host.c_str(),
                static_cast<unsigned>(server.port()), server.size());
    std::fflush(stdout);
    std::jthread serving([&server] { server.Run(); });
    int signal = 0;
    sigwait(&stop_signals, &signal);
    server.Stop();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "fibpool-minimal: " << e.what() << "\n";
    return 1;
  }
}
