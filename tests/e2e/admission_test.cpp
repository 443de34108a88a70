// Admission by estimated wait (max_wait, supervisor/sched/admission.h) against the
// real binaries: a job that would wait too long is refused before it joins
// the backlog, with the line clients may parse, while a job that fits is
// still taken.
#include <signal.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/line_client.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"
#include "tests/support/temp_file.h"
#include "tests/support/wait.h"

namespace fibpool::testing {
namespace {

using namespace std::chrono_literals;

// F(40) by recursion: a big job (main workers only), estimated well under a
// second.
constexpr char kBigJob[] = "40 recursive";
constexpr char kBigAnswer[] = "102334155";
constexpr int kBurst = 12;
constexpr char kRetryAfter[] = "ERR busy retry_after=";

// Sends kBurst big jobs in one write: all read before the first one ends.
void SendBurst(LineClient& client) {
  std::string burst;
  for (int i = 0; i < kBurst; ++i) burst += std::string(kBigJob) + "\n";
  client.Send(burst);
}

struct BurstAnswers {
  int answered = 0;
  std::vector<std::string> refusals;  // the S of each `ERR busy retry_after=S`
};

// Reads the burst's answers: each is the right F(40) or a retry_after line.
BurstAnswers ReadBurst(LineClient& client) {
  BurstAnswers out;
  for (int i = 0; i < kBurst; ++i) {
    const auto answer = client.ReadLine(60s);
    if (!answer) {
      ADD_FAILURE() << "no answer to request " << i;
      return out;
    }
    if (*answer == kBigAnswer) {
      ++out.answered;
    } else if (answer->starts_with(kRetryAfter)) {
      out.refusals.push_back(answer->substr(sizeof kRetryAfter - 1));
    } else {
      ADD_FAILURE() << "request " << i << ": " << *answer;
    }
  }
  return out;
}

TEST(Admission, PastMaxWaitAJobIsRefusedWithRetryAfterWhileAnotherClientsJobStillFits) {
  // One main worker: every big job waits for the one before it.
  ServerProcess server({"--workers", "1", "--max-wait", "1"});
  LineClient a(server.port());
  LineClient b(server.port(), "127.0.0.2");
  LineClient observer(server.port(), "127.0.0.3");

  SendBurst(a);
  // Refusals are counted when they are decided; their lines wait for the
  // answers before them.
  ASSERT_TRUE(WaitFor([&] { return Counter(AskStats(observer), "errors", "busy") > 0; }, 10s));

  // Another client's big job starts next (fair queuing), and its cheap one
  // has a reserve worker: both fit and are answered.
  b.Send(std::string(kBigJob) + "\n30\n");
  EXPECT_EQ(b.ReadLine(60s), kBigAnswer);
  EXPECT_EQ(b.ReadLine(10s), "832040");

  const BurstAnswers burst = ReadBurst(a);
  EXPECT_GE(burst.answered, 1);
  EXPECT_GE(burst.refusals.size(), 1u);
  for (const std::string& seconds : burst.refusals) {
    ASSERT_FALSE(seconds.empty());
    ASSERT_EQ(seconds.find_first_not_of("0123456789"), std::string::npos) << seconds;
    // Refused: over max_wait (1 s), rounded up. Ahead of it: at most 1 s of
    // jobs taken plus the last one taken (under a second): under 2 s.
    EXPECT_EQ(std::stoi(seconds), 2);
  }
  const auto stats = AskStats(observer);
  EXPECT_EQ(Counter(stats, "errors", "busy"), burst.refusals.size());
  EXPECT_EQ(Counter(stats, "busy", "max_wait"), burst.refusals.size());
  EXPECT_EQ(Counter(stats, "busy", "backlog_full"), 0u);
  // The backlog has drained: the same request fits again.
  EXPECT_EQ(a.Ask(kBigJob, 60s), kBigAnswer);
}

TEST(Admission, SighupAppliesMaxWaitToTheNextJobs) {
  TempFile config("workers = 1\n");  // max_wait off: the default
  ServerProcess server({"--config", config.path()});
  config.Write("workers = 1\nmax_wait = 1\n");
  server.Signal(SIGHUP);
  ASSERT_TRUE(WaitFor(
      [&] { return server.Log().find("applied=\"max_wait 0->1\"") != std::string::npos; }, 10s))
      << server.Log();
  LineClient a(server.port());
  SendBurst(a);
  const BurstAnswers burst = ReadBurst(a);
  EXPECT_GE(burst.answered, 1);
  EXPECT_GE(burst.refusals.size(), 1u);
}

}  // namespace
}  // namespace fibpool::testing
