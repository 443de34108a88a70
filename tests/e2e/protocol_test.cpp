// The line protocol as a client sees it, against the real binaries: the
// commands, pipelining and the order of answers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/fib_by_addition.h"
#include "tests/support/line_client.h"
#include "tests/support/server_process.h"
#include "tests/support/shared_server.h"
#include "tests/support/stats.h"

namespace fibpool::testing {
namespace {

// Every test here only asks and reads: one server for all. (Pipelined jobs on
// two workers at once, and a slow request beside other connections:
// concurrency_test.cpp.)
class Protocol : public SharedServer<Protocol> {
 public:
  static std::vector<std::string> Args() { return {"--workers", "2"}; }
};

using std::chrono::seconds;

TEST_F(Protocol, HelpIsOneLineNamingTheCommands) {
  LineClient client(server().port());
  client.Send("help\nping\n");
  const auto help = client.ReadLine();
  ASSERT_TRUE(help.has_value());
  for (const char* word : {"ping", "stats", "help", "quit", "fast", "recursive"}) {
    EXPECT_NE(help->find(word), std::string::npos) << word << " missing from: " << *help;
  }
  EXPECT_EQ(client.ReadLine(), "pong");  // help took exactly one line
}

TEST_F(Protocol, StatsIsOneLineOfJsonWithTheDocumentedFields) {
  LineClient client(server().port());
  const boost::json::object before = AskStats(client);
  ASSERT_EQ(client.Ask("20"), "6765");
  ASSERT_TRUE(client.Ask("bogus")->starts_with("ERR bad_request"));

  const boost::json::object stats = AskStats(client);
  const boost::json::array& workers = stats.at("workers").as_array();
  ASSERT_EQ(workers.size(), 2u);
  for (const boost::json::value& w : workers) {
    const boost::json::object& o = w.as_object();
    EXPECT_GT(o.at("pid").to_number<std::int64_t>(), 0);
    const std::string state(o.at("state").as_string());
    EXPECT_TRUE(state == "idle" || state == "busy" || state == "starting") << state;
    EXPECT_TRUE(o.contains("jobs_done"));
    EXPECT_TRUE(o.contains("current_job"));
  }
  EXPECT_EQ(JobsDone(stats), JobsDone(before) + 1);
  EXPECT_EQ(Counter(stats, "workers_target"), 2u);
  EXPECT_EQ(Counter(stats, "queue_depth"), 0u);
  EXPECT_EQ(Counter(stats, "backlog"), 0u);
  const boost::json::object& errors = stats.at("errors").as_object();
  for (const char* code : {"bad_request", "out_of_range", "line_too_long", "busy", "timeout",
                           "worker_crashed", "shutting_down", "internal"}) {
    EXPECT_TRUE(errors.contains(code)) << code;
  }
  EXPECT_EQ(Counter(stats, "errors", "bad_request"), Counter(before, "errors", "bad_request") + 1);
  EXPECT_EQ(Counter(stats, "errors", "internal"), 0u);
  const boost::json::object& latency = stats.at("job_latency_us").as_object();
  const auto p50 = latency.at("p50").to_number<double>();
  const auto p90 = latency.at("p90").to_number<double>();
  const auto p99 = latency.at("p99").to_number<double>();
  EXPECT_GT(p50, 0);
  EXPECT_LE(p50, p90);
  EXPECT_LE(p90, p99);
  EXPECT_EQ(client.Ask("ping"), "pong");  // stats took exactly one line
}

TEST_F(Protocol, QuitSaysByeThenClosesAndIgnoresWhatFollows) {
  LineClient client(server().port());
  client.Send("5\nquit\n6\n");
  EXPECT_EQ(client.ReadLine(), "5");
  EXPECT_EQ(client.ReadLine(), "bye");
  EXPECT_EQ(client.ReadLine(seconds(10)), std::nullopt);  // EOF, not an answer to "6"
  EXPECT_TRUE(client.WaitForClose());
  // The server itself goes on.
  LineClient other(server().port());
  EXPECT_EQ(other.Ask("QUIT"), "bye");
  EXPECT_TRUE(other.WaitForClose());
}

TEST_F(Protocol, PipelinedAnswersComeInRequestOrder) {
  const std::vector<std::string> table = FibTableByAddition(301);
  LineClient client(server().port());
  // Slow jobs first, then cheap ones the pool finishes long before, with
  // supervisor-answered lines and errors in between.
  std::string request;
  std::vector<std::string> expected;
  for (int i = 0; i < 200; ++i) {
    if (i % 50 == 0) {
      request += "27 recursive\n";
      expected.push_back(table[27]);
    } else if (i % 17 == 0) {
      request += "ping\n";
      expected.push_back("pong");
    } else if (i % 23 == 0) {
      request += "nope\n";
      expected.push_back("ERR bad_request");
    } else {
      const int n = (i * 37) % 301;
      request += (i % 3 == 0 ? "fib " : "") + std::to_string(n) + (i % 2 ? " fast\n" : "\n");
      expected.push_back(table[n]);
    }
  }
  client.Send(request);  // one write
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto line = client.ReadLine();
    ASSERT_TRUE(line.has_value()) << "no answer to request " << i;
    if (expected[i].starts_with("ERR")) {
      EXPECT_TRUE(line->starts_with(expected[i] + " ")) << "request " << i << ": " << *line;
    } else {
      EXPECT_EQ(*line, expected[i]) << "request " << i;
    }
  }
  EXPECT_EQ(client.Ask("ping"), "pong");
}

}  // namespace
}  // namespace fibpool::testing
