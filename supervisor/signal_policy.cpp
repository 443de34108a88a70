#include "supervisor/signal_policy.h"

#include <csignal>
#include <cstring>

namespace fibpool::supervisor {

namespace {

// Asynchronous signals whose default action ends the process, besides the
// ones fibpool uses and the real-time range.
constexpr int kIgnored[] = {SIGUSR1, SIGALRM,   SIGVTALRM, SIGPROF, SIGIO,
                            SIGPWR,  SIGSTKFLT, SIGXCPU,   SIGXFSZ};

}  // namespace

std::vector<int> HandledSignals() {
  std::vector<int> signals = {SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR2};
  signals.insert(signals.end(), std::begin(kIgnored), std::end(kIgnored));
  for (int signo = SIGRTMIN; signo <= SIGRTMAX; ++signo) signals.push_back(signo);
  return signals;
}

SignalAction ActionFor(int signo) {
  if (signo == SIGTERM || signo == SIGINT || signo == SIGQUIT) return SignalAction::kDrain;
  if (signo == SIGHUP) return SignalAction::kReload;
  if (signo == SIGUSR2) return SignalAction::kUpgrade;
  return SignalAction::kIgnore;
}

std::string SignalName(int signo) {
  if (signo >= SIGRTMIN && signo <= SIGRTMAX) {
    return signo == SIGRTMIN ? "SIGRTMIN" : "SIGRTMIN+" + std::to_string(signo - SIGRTMIN);
  }
  const char* abbreviation = ::sigabbrev_np(signo);
  return abbreviation ? std::string("SIG") + abbreviation : "signal " + std::to_string(signo);
}

std::string_view WhyIgnored(int) {
  return "fibpool does not use this signal";
}

}  // namespace fibpool::supervisor
