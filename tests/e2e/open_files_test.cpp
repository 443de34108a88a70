// fibpool under an open-file limit too low for max_connections, against the
// real binaries (the limit set with prlimit before exec): the start-up says
// so, the connection limit in force is what fits, and a client that finds
// no descriptor left gets `ERR busy`, never silence.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "tests/support/line_client.h"
#include "tests/support/log_lines.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"
#include "tests/support/wait.h"

namespace fibpool::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kBusy = "ERR busy too many connections; try again later";

// Runs fibpool with its open-file limit (soft and hard) at `limit`.
std::vector<std::string> WithOpenFileLimit(int limit) {
  return {"/usr/bin/prlimit", "--nofile=" + std::to_string(limit) + ":" + std::to_string(limit),
          "--"};
}

// How many of `pid`'s descriptors have a number below `limit` (one the
// process inherited above its limit takes no room below it).
std::size_t DescriptorsBelow(pid_t pid, int limit) {
  std::size_t n = 0;
  std::error_code ec;
  for (const auto& e :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    if (std::stoi(e.path().filename().string()) < limit) ++n;
  }
  return n;
}

std::string DescriptorList(pid_t pid) {
  std::string out;
  std::error_code ec;
  for (const auto& e :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    out += e.path().filename().string() + "=" +
           std::filesystem::read_symlink(e.path(), ec).string() + " ";
  }
  return out;
}

std::size_t Count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(OpenFiles, AShortLimitIsLoggedAtStartAndEveryClientGetsAnAnswerOrBusy) {
  // One I/O thread: the connection count is exact (docs/threads.md), so the
  // limit in force is met exactly, without a descriptor running out.
  ServerProcess server({"--workers", "1", "--io-threads", "1"}, {}, false, WithOpenFileLimit(40));
  const std::string line = LogLineWith(server.Log(), "event=open_file_limit_short");
  ASSERT_FALSE(line.empty()) << server.Log();
  EXPECT_NE(line.find("open_file_limit=40 "), std::string::npos) << line;
  EXPECT_NE(line.find("max_connections=10000 "), std::string::npos) << line;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(line, m, std::regex("connections_limit=([0-9]+)"))) << line;
  const std::uint64_t limit = std::stoull(m[1]);
  ASSERT_GE(limit, 1u);
  ASSERT_LT(limit, 40u);

  std::vector<std::unique_ptr<LineClient>> clients;
  for (int i = 0; i < 45; ++i) clients.push_back(std::make_unique<LineClient>(server.port()));
  std::size_t answered = 0;
  std::size_t busy = 0;
  for (auto& c : clients) {
    c->Send("30\n");
    const std::optional<std::string> got = c->ReadLine(10s);
    ASSERT_TRUE(got) << "a client got no answer; log:\n" << server.Log();
    if (*got == "832040") {
      ++answered;
    } else {
      EXPECT_EQ(*got, kBusy);
      ++busy;
    }
  }
  EXPECT_EQ(answered, limit);
  EXPECT_EQ(busy, 45 - limit);
  EXPECT_EQ(Count(server.Log(), "event=accept_failed"), 0u) << server.Log();

  clients.front().reset();
  clients.erase(clients.begin());
  const auto stats = [&]() -> std::optional<boost::json::object> {
    for (auto& c : clients) {
      if (auto s = c->Ask("stats", 10s); s && s->starts_with("{")) {
        return boost::json::parse(*s).as_object();
      }
    }
    return std::nullopt;
  }();
  ASSERT_TRUE(stats);
  EXPECT_EQ(Counter(*stats, "connections_limit"), limit);
  EXPECT_EQ(Counter(*stats, "open_file_limit"), 40u);
}

TEST(OpenFiles, ClientsThatFindNoDescriptorGetBusyAndTheFailureIsLoggedSparingly) {
  ServerProcess server({"--workers", "1", "--metrics-port", "0"}, {}, false, WithOpenFileLimit(64));
  std::uint16_t metrics = 0;
  {
    LineClient c(server.port());
    metrics = MetricsPort(c);
    ASSERT_EQ(c.Ask("30"), "832040");
  }
  // Idle HTTP connections (they have 10 s to send a request) take every
  // descriptor the supervisor has left.
  std::vector<std::unique_ptr<LineClient>> hogs;
  for (int i = 0; i < 64; ++i) hogs.push_back(std::make_unique<LineClient>(metrics));
  ASSERT_TRUE(WaitFor([&] { return DescriptorsBelow(server.pid(), 64) == 64; }, 5s))
      << DescriptorsBelow(server.pid(), 64) << " descriptors open";

  for (int i = 0; i < 20; ++i) {
    LineClient c(server.port());
    c.Send("30\n");
    const std::optional<std::string> got = c.ReadLine(5s);
    ASSERT_TRUE(got) << "client " << i << " got no answer; log:\n" << server.Log();
    EXPECT_EQ(*got, kBusy) << "client " << i << " fds " << DescriptorList(server.pid()) << "\n"
                           << server.Log();
    EXPECT_TRUE(c.WaitForClose(5s)) << "client " << i;
  }
  const std::string log = server.Log();
  const std::size_t failures = Count(log, "event=accept_failed");
  EXPECT_GE(failures, 1u) << log;
  EXPECT_LE(failures, 6u) << log;
  EXPECT_NE(LogLineWith(log, "event=accept_failed").find("action=refused_busy"), std::string::npos)
      << log;

  hogs.clear();  // their descriptors come back
  std::optional<std::string> answer;
  EXPECT_TRUE(WaitFor(
      [&] {
        LineClient c(server.port());
        answer = c.Ask("30", 5s);
        return answer == "832040";
      },
      20s))
      << "last answer: " << answer.value_or("none");
}

}  // namespace
}  // namespace fibpool::testing
