// Large results against a small /dev/shm: fibpool runs in a private mount
// namespace whose /dev/shm is a tmpfs of a chosen size (unshare -m; the test
// runs as root in CI and is skipped, with the reason, where it may not).
#include <cstdlib>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/fib_reference.h"
#include "tests/support/line_client.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"
#include "tests/support/wait.h"

namespace fibpool::testing {
namespace {

constexpr const char* kUnshare = "/usr/bin/unshare";

// The command that starts fibpool with /dev/shm a fresh tmpfs of `size`
// (mount's size=, e.g. "30m"), seen by fibpool and its workers only.
std::vector<std::string> WithPrivateShm(const std::string& size) {
  return {kUnshare,
          "-m",
          "--propagation",
          "private",
          "/bin/sh",
          "-c",
          "mount -t tmpfs -o size=" + size + " tmpfs /dev/shm && exec \"$0\" \"$@\""};
}

// Empty when this process may make a private mount namespace with its own
// /dev/shm; otherwise why not.
std::string PrivateShmUnavailable() {
  const std::string probe = std::string(kUnshare) +
                            " -m --propagation private /bin/sh -c "
                            "'mount -t tmpfs -o size=1m tmpfs /dev/shm' >/dev/null 2>&1";
  const int status = std::system(probe.c_str());
  if (status == 0) return {};
  return "cannot mount a private /dev/shm (" + probe + " exited " + std::to_string(status) +
         "; it needs root or CAP_SYS_ADMIN)";
}

// Sends "n" and reads its answer line like a slow client: at most
// `bytes_per_second`, in 64 KiB reads, pausing after each read for the time
// its bytes are worth. Returns the line without its LF (empty on EOF or
// after 600 s without a read, the job_timeout these tests give: workers run at nice 10,
// so on a machine busy with other work an F(10^8) may take minutes).
std::string AskSlowly(std::uint16_t port, std::uint64_t n, std::uint64_t bytes_per_second) {
  LineClient client(port);
  client.Send(std::to_string(n) + "\n");
  std::string answer;
  for (;;) {
    const std::optional<std::string> chunk = client.Recv(64 * 1024, std::chrono::seconds(600));
    if (!chunk) return {};
    answer += *chunk;
    if (!answer.empty() && answer.back() == '\n') break;
    std::this_thread::sleep_for(
        std::chrono::microseconds(chunk->size() * 1'000'000 / bytes_per_second));
  }
  answer.pop_back();
  return answer;
}

TEST(SharedMemory, ThreeHugeAnswersReadSlowlyAllArriveWhenDevShmHoldsOnlyOne) {
  if (const std::string why = PrivateShmUnavailable(); !why.empty()) GTEST_SKIP() << why;
  constexpr std::uint64_t kN = 100'000'000;  // 20.9 MB of digits: one fits in 30 MB, two do not
  // Each F(10^8) takes about 3 s of CPU; a loaded machine may stretch that
  // well past the default job_timeout, which is not what this test is about.
  ServerProcess server({"--workers", "2", "--job-timeout", "600"}, {}, false,
                       WithPrivateShm("30m"));
  auto reference = std::async(std::launch::async, [] { return FibReference(kN); });
  std::vector<std::future<std::string>> answers;
  for (int i = 0; i < 3; ++i) {
    answers.push_back(std::async(std::launch::async, [&server] {
      return AskSlowly(server.port(), kN, 40'000'000);  // about half a second per answer
    }));
  }
  const std::string expected = reference.get();
  ASSERT_EQ(expected.size(), 20'898'764u);
  for (auto& answer : answers) {
    const std::string got = answer.get();
    EXPECT_EQ(got.size(), expected.size()) << (got.size() < 200 ? got : "");
    EXPECT_TRUE(got == expected) << "an F(10^8) answer differs from the reference";
  }
  LineClient client(server.port());
  const boost::json::object stats = AskStats(client);
  EXPECT_LE(Counter(stats, "shm", "free_bytes"), 30u << 20);  // the private tmpfs it ran in
  EXPECT_GE(Counter(stats, "shm", "jobs_waited"), 1u);        // the budget held one back
  EXPECT_EQ(Counter(stats, "shm", "results_piped"), 0u);      // one at a time fits
  EXPECT_EQ(Counter(stats, "errors", "internal"), 0u);
  EXPECT_EQ(Counter(stats, "shm", "result_bytes_held"), 0u);  // all written: all released
  EXPECT_EQ(Counter(stats, "shm", "result_bytes_in_flight"), 0u);
}

TEST(SharedMemory, AnAnswerHeldForAClientThatLeavesFreesItsRoomForTheNextOne) {
  if (const std::string why = PrivateShmUnavailable(); !why.empty()) GTEST_SKIP() << why;
  constexpr std::uint64_t kN = 50'000'000;  // 10.4 MB of digits: one fits in 12 MB, two do not
  ServerProcess server({"--workers", "2", "--job-timeout", "600"}, {}, false,
                       WithPrivateShm("12m"));
  LineClient stalled(server.port());
  stalled.Send(std::to_string(kN) + "\n");  // and never reads
  LineClient waiting(server.port());
  waiting.Send(std::to_string(kN) + "\n");
  LineClient observer(server.port());
  const auto shm = [&](const char* key) { return Counter(AskStats(observer), "shm", key); };
  // The first answer is held for its reader, the second job waits for its room.
  ASSERT_TRUE(WaitFor([&] { return shm("result_bytes_held") > 0 && shm("jobs_waiting") == 1; },
                      std::chrono::seconds(300), std::chrono::milliseconds(50)));
  stalled.Reset();
  const std::optional<std::string> got = waiting.ReadLine(std::chrono::seconds(300));
  ASSERT_TRUE(got.has_value());
  const std::string expected = FibReference(kN);
  EXPECT_EQ(got->size(), expected.size()) << (got->size() < 200 ? *got : "");
  EXPECT_TRUE(*got == expected) << "F(5*10^7) differs from the reference";
  EXPECT_EQ(shm("results_piped"), 0u);
  EXPECT_EQ(shm("result_bytes_held"), 0u);
}

TEST(SharedMemory, AnAnswerLargerThanAllOfDevShmComesThroughThePipe) {
  if (const std::string why = PrivateShmUnavailable(); !why.empty()) GTEST_SKIP() << why;
  constexpr std::uint64_t kN = 10'000'000;  // 2.09 MB of digits, in a 1 MB /dev/shm
  ServerProcess server({"--workers", "1"}, {}, false, WithPrivateShm("1m"));
  LineClient client(server.port());
  const std::optional<std::string> got = client.Ask(std::to_string(kN));
  ASSERT_TRUE(got.has_value());
  const std::string expected = FibReference(kN);
  EXPECT_EQ(got->size(), expected.size());
  EXPECT_TRUE(*got == expected) << "F(10^7) differs from the reference";
  const boost::json::object stats = AskStats(client);
  EXPECT_EQ(Counter(stats, "shm", "results_piped"), 1u);
  EXPECT_EQ(Counter(stats, "errors", "internal"), 0u);
  EXPECT_EQ(Counter(stats, "shm", "result_bytes_piped"), 0u);  // written: released
}

}  // namespace
}  // namespace fibpool::testing
