// What the supervisor does with each signal it handles, and their names for
// the log. The server's signal_set waits for exactly HandledSignals().
//
//   SIGTERM, SIGINT, SIGQUIT   drain and exit 0 (before ready: stop at once)
//   SIGHUP                     re-read the config file
//   SIGUSR2                    binary upgrade (upgrade.h)
//   SIGUSR1 and every other signal whose default action ends the
//   process (SIGALRM, SIGVTALRM, SIGPROF, SIGIO, SIGPWR, SIGSTKFLT,
//   SIGXCPU, SIGXFSZ, SIGRTMIN to SIGRTMAX)
//                              logged (event=signal_ignored) and ignored
//
// Not handled here: SIGPIPE is ignored (main.cpp: a write to a closed
// socket or pipe fails with EPIPE instead); SIGKILL and SIGSTOP cannot be
// caught; the faults SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP and
// SIGSYS keep their default action (the process dies, with a core dump
// where enabled): caught through a signal_set, a real fault would return to
// the faulting instruction for ever, and nothing can log safely from inside
// one. The workers die with the supervisor (parent-death signal) and the
// next start removes its shared memory.
//
// Pure: no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fibpool::supervisor {

enum class SignalAction { kDrain, kReload, kUpgrade, kIgnore };

// Every signal the supervisor waits for.
std::vector<int> HandledSignals();

SignalAction ActionFor(int signo);

// "SIGUSR1", "SIGRTMIN+3"; "signal N" for a number with no name.
std::string SignalName(int signo);

// Why an ignored signal is ignored, for the log line.
std::string_view WhyIgnored(int signo);

}  // namespace fibpool::supervisor
