// The scripts the bench runs (script_process.h), with the real Python 3:
// their output read line by line within a deadline, stdout discarded when
// asked, and no process left behind; and the articles' perf2.py as
// published, against the minimal reference answering newline-less reads.
#include "bench/script_process.h"

#include <signal.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bench/child_server.h"
#include "bench/clock.h"
#include "bench/perf2_counts.h"
#include "tests/support/server_process.h"

namespace fibpool::bench {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

class ScriptProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (python_.empty()) GTEST_SKIP() << "no python3 found at configure time";
  }
  // python3 -u -c `code`.
  std::vector<std::string> Python(const std::string& code) const {
    return {python_, "-u", "-c", code};
  }

  const std::string python_ = FIBPOOL_TEST_PYTHON3;
};

bool Exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

TEST_F(ScriptProcessTest, ReadsStdoutAndStderrLineByLineUntilItExits) {
  ScriptProcess script(Python("import sys; print('one'); sys.stderr.write('two\\n')"));
  const std::int64_t deadline = NowNanos() + 30 * kSecond;
  EXPECT_EQ(script.ReadLine(deadline), "one");
  EXPECT_EQ(script.ReadLine(deadline), "two");
  EXPECT_EQ(script.ReadLine(deadline), std::nullopt);
  EXPECT_TRUE(script.exited());
}

TEST_F(ScriptProcessTest, DiscardedStdoutLeavesStderr) {
  ScriptProcess script(Python("import sys; print('one'); sys.stderr.write('two\\n')"),
                       ScriptProcess::Stdout::kDiscard);
  const std::int64_t deadline = NowNanos() + 30 * kSecond;
  EXPECT_EQ(script.ReadLine(deadline), "two");
  EXPECT_EQ(script.ReadLine(deadline), std::nullopt);
  EXPECT_TRUE(script.exited());
}

TEST_F(ScriptProcessTest, ASilentScriptEndsTheReadAtTheDeadlineAndIsKilledWithItsOwner) {
  pid_t pid = -1;
  {
    ScriptProcess script(Python("import time; time.sleep(600)"));
    pid = script.pid();
    ASSERT_GT(pid, 0);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(script.ReadLine(NowNanos() + kSecond / 5), std::nullopt);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
    EXPECT_FALSE(script.exited());
    EXPECT_TRUE(Exists(pid));
  }
  // Killed and reaped by the destructor: no such process, not even a zombie.
  EXPECT_FALSE(Exists(pid));
}

TEST_F(ScriptProcessTest, AMissingInterpreterIsAnError) {
  EXPECT_THROW(ScriptProcess({"/nonexistent/python3", "-c", "pass"}), std::runtime_error);
}

TEST_F(ScriptProcessTest, ThePublishedPerf2CountsTheMinimalReferencesAnswers) {
  ChildServer minimal = ChildServer::Start(
      {testing::BinDir() + "/fibpool-minimal", "--port", "0", "--read-per-request"},
      std::chrono::seconds(15));
  ScriptProcess perf2({python_, "-u", std::string(FIBPOOL_BENCH_SOURCE_DIR) + "/articles/perf2.py",
                       std::to_string(minimal.endpoint().port())});
  std::vector<std::uint64_t> counts;
  const std::int64_t deadline = NowNanos() + 30 * kSecond;
  while (counts.size() < 2) {
    const std::optional<std::string> line = perf2.ReadLine(deadline);
    ASSERT_TRUE(line.has_value()) << "perf2 printed " << counts.size() << " counts";
    const std::optional<std::uint64_t> count = ParsePerSecondCount(*line);
    ASSERT_TRUE(count.has_value()) << *line;
    counts.push_back(*count);
  }
  EXPECT_GT(MedianAfterFirst(counts).value_or(0), 0) << counts[0] << ", " << counts[1];
}

}  // namespace
}  // namespace fibpool::bench
