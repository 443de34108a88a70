#include "supervisor/signal_policy.h"

#include <csignal>

#include <algorithm>

#include <gtest/gtest.h>

namespace fibpool::supervisor {
namespace {

bool Handled(int signo) {
  const std::vector<int> all = HandledSignals();
  return std::find(all.begin(), all.end(), signo) != all.end();
}

TEST(SignalPolicy, TermIntAndQuitDrainAndHupReloads) {
  EXPECT_EQ(ActionFor(SIGTERM), SignalAction::kDrain);
  EXPECT_EQ(ActionFor(SIGINT), SignalAction::kDrain);
  EXPECT_EQ(ActionFor(SIGQUIT), SignalAction::kDrain);
  EXPECT_EQ(ActionFor(SIGHUP), SignalAction::kReload);
}

TEST(SignalPolicy, EveryAsynchronousSignalThatWouldEndTheProcessIsHandled) {
  for (const int signo : {SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM,
                          SIGPROF, SIGIO, SIGPWR, SIGSTKFLT, SIGXCPU, SIGXFSZ}) {
    EXPECT_TRUE(Handled(signo)) << SignalName(signo);
  }
  for (int signo = SIGRTMIN; signo <= SIGRTMAX; ++signo) EXPECT_TRUE(Handled(signo)) << signo;
  EXPECT_EQ(ActionFor(SIGUSR1), SignalAction::kIgnore);
  EXPECT_EQ(ActionFor(SIGUSR2), SignalAction::kUpgrade);
  EXPECT_EQ(ActionFor(SIGRTMIN + 1), SignalAction::kIgnore);
}

TEST(SignalPolicy, FaultsSigpipeAndUncatchableSignalsAreNotHandled) {
  for (const int signo : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS, SIGPIPE,
                          SIGKILL, SIGSTOP, SIGCHLD}) {
    EXPECT_FALSE(Handled(signo)) << SignalName(signo);
  }
}

TEST(SignalPolicy, NamesAreTheSignalsAbbreviationsWithSig) {
  EXPECT_EQ(SignalName(SIGUSR1), "SIGUSR1");
  EXPECT_EQ(SignalName(SIGUSR2), "SIGUSR2");
  EXPECT_EQ(SignalName(SIGTERM), "SIGTERM");
  EXPECT_EQ(SignalName(SIGRTMIN), "SIGRTMIN");
  EXPECT_EQ(SignalName(SIGRTMIN + 3), "SIGRTMIN+3");
  EXPECT_EQ(SignalName(0), "signal 0");
}

TEST(SignalPolicy, Sigusr2IsReservedForABinaryUpgrade) {
  EXPECT_EQ(WhyIgnored(SIGUSR1), "fibpool does not use this signal");
}

}  // namespace
}  // namespace fibpool::supervisor
