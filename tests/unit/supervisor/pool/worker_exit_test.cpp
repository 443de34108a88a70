#include "supervisor/pool/worker_exit.h"

#include <gtest/gtest.h>

#include <csignal>

#include "ipc/messages.h"

namespace fibpool::supervisor {
namespace {

constexpr ExitStatus Exited(int code) { return ExitStatus{code, 0}; }
constexpr ExitStatus Signalled(int signal) { return ExitStatus{0, signal}; }

TEST(WorkerExit, DeathsBySignalAreNamedBySignalNotByNumber) {
  EXPECT_EQ(ExitStatusText(Signalled(SIGKILL)), "SIGKILL");
  EXPECT_EQ(ExitStatusText(Signalled(SIGSEGV)), "SIGSEGV");
  EXPECT_EQ(ExitStatusText(Exited(3)), "3");
}

TEST(WorkerExit, SentinelMeansResizeWhileRunningAndStopWhileStopping) {
  EXPECT_EQ(ClassifyExit(Exited(ipc::kExitSentinel), KillCause::kNone, false), ExitCause::kResize);
  EXPECT_EQ(ClassifyExit(Exited(ipc::kExitSentinel), KillCause::kNone, true), ExitCause::kStop);
}

TEST(WorkerExit, RecycleAndOutOfMemoryAreTheirOwnCauses) {
  EXPECT_EQ(ClassifyExit(Exited(ipc::kExitRecycle), KillCause::kNone, false), ExitCause::kRecycle);
  EXPECT_EQ(ClassifyExit(Exited(ipc::kExitOutOfMemory), KillCause::kNone, false),
            ExitCause::kOutOfMemory);
}

TEST(WorkerExit, AKillByThePoolIsClassifiedByItsReason) {
  EXPECT_EQ(ClassifyExit(Signalled(SIGKILL), KillCause::kTimeout, false), ExitCause::kTimeout);
  EXPECT_EQ(ClassifyExit(Signalled(SIGKILL), KillCause::kCancel, false), ExitCause::kCancel);
  EXPECT_EQ(ClassifyExit(Signalled(SIGKILL), KillCause::kStop, true), ExitCause::kStopGrace);
}

TEST(WorkerExit, AnythingElseIsACrash) {
  EXPECT_EQ(ClassifyExit(Signalled(SIGKILL), KillCause::kNone, false), ExitCause::kCrash);
  EXPECT_EQ(ClassifyExit(Signalled(SIGSEGV), KillCause::kNone, true), ExitCause::kCrash);
  EXPECT_EQ(ClassifyExit(Exited(ipc::kExitPipeBroken), KillCause::kNone, false), ExitCause::kCrash);
  // A signal numbered like an exit status is still a signal.
  EXPECT_EQ(ClassifyExit(Signalled(ipc::kExitRecycle), KillCause::kNone, false), ExitCause::kCrash);
}

TEST(WorkerExit, CausesHaveTheNamesTheLogsAndMetricsUse) {
  EXPECT_EQ(ExitCauseName(ExitCause::kCrash), "crash");
  EXPECT_EQ(ExitCauseName(ExitCause::kResize), "resize");
  EXPECT_EQ(ExitCauseName(ExitCause::kStopGrace), "stop_grace");
  EXPECT_EQ(ExitCauseName(ExitCause::kOutOfMemory), "out_of_memory");
  EXPECT_TRUE(IsAbnormal(ExitCause::kCrash));
  EXPECT_TRUE(IsAbnormal(ExitCause::kTimeout));
  EXPECT_FALSE(IsAbnormal(ExitCause::kRecycle));
  EXPECT_FALSE(IsAbnormal(ExitCause::kStop));
  EXPECT_FALSE(IsAbnormal(ExitCause::kCancel));
}

}  // namespace
}  // namespace fibpool::supervisor
