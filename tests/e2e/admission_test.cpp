// Admission by estimated wait (max_wait, supervisor/admission.h) against the
// real binaries: a job that would wait too long is refused before it joins
// the backlog, with the line clients may parse, while a job that fits is
// still taken.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/line_client.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"
#include "tests/support/wait.h"

namespace fibpool::testing {
namespace {

using namespace std::chrono_literals;

constexpr char kRetryAfter[] = "ERR busy retry_after=";

TEST(Admission, PastMaxWaitAJobIsRefusedWithRetryAfterWhileAnotherClientsJobStillFits) {
  // One main worker: every big job waits for the one before it.
  ServerProcess server({"--workers", "1", "--max-wait", "1"});
  LineClient a(server.port());
  LineClient b(server.port(), "127.0.0.2");
  LineClient observer(server.port(), "127.0.0.3");

  // F(40) by recursion is a big job estimated well under a second: the first
  // few fit in a 1 s wait, the rest of the burst does not.
  constexpr int kJobs = 12;
  std::string burst;
  for (int i = 0; i < kJobs; ++i) burst += "40 recursive\n";
  a.Send(burst);
  // Refusals are counted when they are decided; their lines wait for the
  // answers before them.
  ASSERT_TRUE(WaitFor([&] { return Counter(AskStats(observer), "errors", "busy") > 0; }, 10s));

  // Another client's big job starts next (fair queuing), and its cheap one
  // has a reserve worker: both fit and are answered.
  b.Send("40 recursive\n30\n");
  EXPECT_EQ(b.ReadLine(60s), "102334155");
  EXPECT_EQ(b.ReadLine(10s), "832040");

  int answered = 0;
  int refused = 0;
  for (int i = 0; i < kJobs; ++i) {
    const auto answer = a.ReadLine(60s);
    ASSERT_TRUE(answer) << "no answer to request " << i;
    if (*answer == "102334155") {
      ++answered;
      continue;
    }
    ASSERT_TRUE(answer->starts_with(kRetryAfter)) << *answer;
    ++refused;
    const std::string seconds = answer->substr(sizeof kRetryAfter - 1);
    ASSERT_FALSE(seconds.empty());
    ASSERT_EQ(seconds.find_first_not_of("0123456789"), std::string::npos) << *answer;
    // Refused: over max_wait (1 s), rounded up. Ahead of it: at most 1 s of
    // jobs taken plus the last one taken (under a second): under 2 s.
    EXPECT_EQ(std::stoi(seconds), 2) << *answer;
  }
  EXPECT_GE(answered, 1);
  EXPECT_GE(refused, 1);
  EXPECT_EQ(Counter(AskStats(observer), "errors", "busy"), static_cast<std::uint64_t>(refused));
  // The backlog has drained: the same request fits again.
  EXPECT_EQ(a.Ask("40 recursive", 60s), "102334155");
}

TEST(Admission, WithoutMaxWaitTheWholeBurstIsTaken) {
  ServerProcess server({"--workers", "1"});
  LineClient a(server.port());
  constexpr int kJobs = 12;
  std::string burst;
  for (int i = 0; i < kJobs; ++i) burst += "38 recursive\n";
  a.Send(burst);
  for (int i = 0; i < kJobs; ++i) EXPECT_EQ(a.ReadLine(60s), "39088169") << "request " << i;
  EXPECT_EQ(Counter(AskStats(a), "errors", "busy"), 0u);
}

}  // namespace
}  // namespace fibpool::testing
