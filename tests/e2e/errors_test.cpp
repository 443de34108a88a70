// The error codes of docs/protocol.md with the condition that causes them,
// against the real binaries. After each error but line_too_long the connection
// stays usable. Which lines are bad requests or out of range, and with what
// detail, is the parser's (tests/unit/supervisor/protocol); bad requests
// answered through a server: Hostile.BinaryGarbageGetsOneErrorPerLineAndTheConnectionSurvives.
#include <signal.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/fib_reference.h"
#include "tests/support/line_client.h"
#include "tests/support/log_lines.h"
#include "tests/support/pool_state.h"
#include "tests/support/server_process.h"
#include "tests/support/shared_server.h"
#include "tests/support/stats.h"
#include "tests/support/temp_file.h"
#include "tests/support/wait.h"

namespace fibpool::testing {
namespace {

using std::chrono::seconds;

// The answer must be "ERR <code> <detail>" with a non-empty detail.
::testing::AssertionResult IsError(const std::optional<std::string>& answer,
                                   const std::string& code) {
  if (!answer) return ::testing::AssertionFailure() << "no answer";
  const std::string prefix = "ERR " + code + " ";
  if (!answer->starts_with(prefix) || answer->size() == prefix.size()) {
    return ::testing::AssertionFailure() << "'" << *answer << "' is not " << prefix << "<detail>";
  }
  return ::testing::AssertionSuccess();
}

// Errors decided from the request alone, under the default limits: the tests
// only ask and read, each on connections of its own, so they share one server.
class RequestErrors : public SharedServer<RequestErrors> {
 public:
  static std::vector<std::string> Args() { return {"--workers", "1"}; }
};

TEST_F(RequestErrors, AJobEstimatedPastTheJobTimeoutIsRefusedAtOnceNamingEstimateAndLimit) {
  // job_timeout: the default 30 s.
  LineClient client(server().port());
  LineClient observer(server().port());
  const auto before = AskStats(observer);
  const auto answer = client.Ask("93 recursive", seconds(10));
  ASSERT_TRUE(IsError(answer, "out_of_range"));
  EXPECT_NE(answer->find("years of work, over the job_timeout of 30 s"), std::string::npos)
      << *answer;
  // Refused before it was queued: no worker ever started it.
  const auto stats = AskStats(observer);
  EXPECT_TRUE(BusyWorkers(stats).empty());
  EXPECT_EQ(JobsDone(stats), JobsDone(before));
  EXPECT_EQ(Counter(stats, "jobs_pending"), 0u);
  EXPECT_EQ(Counter(stats, "errors", "out_of_range"), Counter(before, "errors", "out_of_range") + 1);
  EXPECT_EQ(client.Ask("93 fast"), "12200160415121876738");
}

TEST_F(RequestErrors, LineOverMaxLineIsAnsweredThenTheConnectionCloses) {
  LineClient client(server().port());
  // 1024 bytes is the longest line allowed (the boundary itself:
  // LineBuffer's unit tests).
  client.Send("5\n" + std::string(1023, ' ') + "10\nping\n");
  EXPECT_EQ(client.ReadLine(), "5");  // requests before the long line are answered
  const auto answer = client.ReadLine();
  ASSERT_TRUE(IsError(answer, "line_too_long"));
  EXPECT_NE(answer->find("1024"), std::string::npos) << *answer;
  EXPECT_EQ(client.ReadLine(seconds(10)), std::nullopt);  // no pong: closed
  EXPECT_TRUE(client.WaitForClose());
  LineClient other(server().port());
  EXPECT_EQ(other.Ask("ping"), "pong");
}

TEST_F(RequestErrors, LineTooLongIsDeliveredWhenTheClientSentMuchMore) {
  LineClient client(server().port());
  // Far more than one read of the server: it answers and closes while unread
  // bytes remain; the answer must still reach the client.
  client.Send(std::string(100 * 1024, '7'));
  EXPECT_TRUE(IsError(client.ReadLine(), "line_too_long"));
  EXPECT_TRUE(client.WaitForClose());
}

// Errors of the pool's state: each test brings its server into that state.
TEST(Errors, FullBacklogAnswersBusyAndEveryLineIsAnswered) {
  ServerProcess server({"--workers", "1", "--max-backlog", "1"});
  LineClient client(server.port());
  constexpr int kJobs = 8;
  std::string request;
  for (int i = 0; i < kJobs; ++i) request += "36 recursive\n";
  client.Send(request);  // one write: all read before the first job ends
  int busy = 0;
  for (int i = 0; i < kJobs; ++i) {
    const auto answer = client.ReadLine();
    ASSERT_TRUE(answer.has_value()) << "no answer to request " << i;
    if (*answer == "14930352") continue;
    EXPECT_TRUE(IsError(answer, "busy")) << "request " << i;
    ++busy;
  }
  EXPECT_GE(busy, 1);
  EXPECT_LT(busy, kJobs);
  EXPECT_EQ(client.Ask("ping"), "pong");
  EXPECT_EQ(client.Ask("36 recursive"), "14930352");  // busy is temporary
  EXPECT_EQ(Counter(AskStats(client), "errors", "busy"), static_cast<std::uint64_t>(busy));
}

TEST(Errors, JobPastTimeoutIsAnsweredTimeoutAndItsWorkerReplaced) {
  ServerProcess server({"--workers", "2", "--job-timeout", "1"});
  LineClient client(server.port());
  LineClient observer(server.port());
  const auto before = WorkersOf(AskStats(observer));
  ASSERT_EQ(before.size(), 2u);

  // A job estimated within the limit whose worker then stalls (stopped, as
  // on an overloaded machine): a job estimated past it is refused at once.
  client.Send("44 recursive\n");
  pid_t stalled = -1;
  ASSERT_TRUE(WaitFor(
      [&] {
        const auto busy = BusyWorkers(AskStats(observer));
        if (!busy.empty()) stalled = busy.front().pid;
        return stalled > 0;
      },
      seconds(10)));
  ASSERT_EQ(::kill(stalled, SIGSTOP), 0);
  const auto answer = client.ReadLine(seconds(10));
  ASSERT_TRUE(IsError(answer, "timeout"));
  EXPECT_TRUE(WaitFor([&] { return !ProcessAlive(stalled); }, seconds(5)));  // killed, reaped
  EXPECT_EQ(client.Ask("ping"), "pong");
  EXPECT_EQ(client.Ask("30 recursive"), "832040");

  // The pool is back to full size: the killed worker has a successor.
  EXPECT_TRUE(WaitFor([&] { return PoolIsWhole(observer, 2, {stalled}); }, seconds(10)));
  const auto stats = AskStats(observer);
  EXPECT_EQ(Counter(stats, "worker_timeouts"), 1u);
  EXPECT_EQ(Counter(stats, "errors", "timeout"), 1u);
  EXPECT_EQ(server.WorkerPids().size(), 2u + kReserveWorkers);
  int replaced = 0;
  for (const auto& w : WorkersOf(stats)) {
    bool known = false;
    for (const auto& b : before) known = known || b.pid == w.pid;
    replaced += known ? 0 : 1;
  }
  EXPECT_EQ(replaced, 1);
}

// Kills the worker running the only job in the pool, then the one running its
// retry.
void KillItsWorkerTwice(LineClient& observer) {
  std::uint64_t job = 0;
  pid_t victim = -1;
  for (int kill = 0; kill < 2; ++kill) {
    // The second time, the job's retry on another worker (the killed one may
    // still be listed until the supervisor reaps it).
    const pid_t previous = victim;
    ASSERT_TRUE(WaitFor(
        [&] {
          for (const auto& w : BusyWorkers(AskStats(observer))) {
            if (!w.current_job || w.pid == previous) continue;
            if (job != 0 && *w.current_job != job) continue;
            job = *w.current_job;
            victim = w.pid;
            return true;
          }
          return false;
        },
        seconds(10)))
        << "the job never ran (attempt " << kill + 1 << ")";
    ASSERT_EQ(::kill(victim, SIGKILL), 0);
  }
}

TEST(Errors, WorkerDyingTwiceOnAJobAnswersWorkerCrashed) {
  ServerProcess server({"--workers", "2"});
  LineClient client(server.port());
  LineClient observer(server.port());
  client.Send("50 recursive\n");  // runs until killed
  KillItsWorkerTwice(observer);
  EXPECT_TRUE(IsError(client.ReadLine(seconds(10)), "worker_crashed"));
  EXPECT_EQ(client.Ask("ping"), "pong");
  EXPECT_EQ(client.Ask("20"), "6765");
  const auto stats = AskStats(observer);
  EXPECT_EQ(Counter(stats, "job_retries"), 1u);
  EXPECT_EQ(Counter(stats, "worker_crashes"), 2u);
  EXPECT_EQ(Counter(stats, "errors", "worker_crashed"), 1u);
}

TEST(Errors, ARequestThatKilledTwoWorkersIsRefusedAtOnceWithoutStartingAWorker) {
  ServerProcess server({"--workers", "2"});
  LineClient client(server.port());
  LineClient observer(server.port());
  client.Send("50 recursive\n");
  KillItsWorkerTwice(observer);
  ASSERT_TRUE(IsError(client.ReadLine(seconds(10)), "worker_crashed"));

  const auto before = AskStats(observer);
  const auto again = client.Ask("50 recursive", seconds(10));  // about 15 s if it ran
  ASSERT_TRUE(IsError(again, "worker_crashed"));
  EXPECT_NE(again->find("killed two workers; refused for"), std::string::npos) << *again;
  const auto stats = AskStats(observer);
  EXPECT_TRUE(BusyWorkers(stats).empty());
  EXPECT_EQ(JobsDone(stats), JobsDone(before));  // no worker took it
  EXPECT_EQ(Counter(stats, "worker_crashes"), 2u);
  EXPECT_EQ(Counter(stats, "errors", "worker_crashed"), 2u);
  // Only that input is refused.
  EXPECT_EQ(client.Ask("50 fast"), "12586269025");
  EXPECT_EQ(client.Ask("20 recursive"), "6765");
}

// Sends `50 recursive` on `client` and kills its worker twice (seen through
// `observer`): the client gets ERR worker_crashed and the input is held.
void QuarantineFiftyRecursive(LineClient& client, LineClient& observer) {
  client.Send("50 recursive\n");
  KillItsWorkerTwice(observer);
  ASSERT_TRUE(IsError(client.ReadLine(seconds(10)), "worker_crashed"));
  ASSERT_EQ(Counter(AskStats(observer), "quarantined_inputs"), 1u);
}

TEST(Errors, AQuarantinedRequestRunsAgainOnceQuarantinePeriodHasPassed) {
  ServerProcess server({"--workers", "2", "--quarantine-period", "3"});
  LineClient client(server.port());
  LineClient observer(server.port());
  ASSERT_NO_FATAL_FAILURE(QuarantineFiftyRecursive(client, observer));
  // (Refused during the period:
  // ARequestThatKilledTwoWorkersIsRefusedAtOnceWithoutStartingAWorker.)

  // After it: the input is released and a worker starts it again.
  ASSERT_TRUE(
      WaitFor([&] { return Counter(AskStats(observer), "quarantined_inputs") == 0; }, seconds(10)));
  client.Send("50 recursive\n");
  EXPECT_TRUE(WaitForBusyWorker(observer, seconds(10)));
  EXPECT_NE(server.Log().find("event=input_quarantined algorithm=recursive n=50 period_ms=3000"),
            std::string::npos)
      << server.Log();
}

TEST(Errors, SighupWithAShorterQuarantinePeriodReleasesTheInputsHeldAlready) {
  TempFile config("workers = 2\nquarantine_period = 3600\n");
  ServerProcess server({"--config", config.path()});
  LineClient client(server.port());
  LineClient observer(server.port());
  ASSERT_NO_FATAL_FAILURE(QuarantineFiftyRecursive(client, observer));

  config.Write("workers = 2\nquarantine_period = 0.001\n");
  server.Signal(SIGHUP);
  ASSERT_TRUE(
      WaitFor([&] { return Counter(AskStats(observer), "quarantined_inputs") == 0; }, seconds(10)))
      << server.Log();
  EXPECT_NE(LogLineWith(server.Log(), "event=reload ").find("quarantine_period 3600->0.001"),
            std::string::npos)
      << server.Log();
  client.Send("50 recursive\n");  // released: a worker starts it again
  EXPECT_TRUE(WaitForBusyWorker(observer, seconds(10)));
}

}  // namespace
}  // namespace fibpool::testing
