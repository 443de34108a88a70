// /healthz and the agent check against the real binaries: the metrics port
// stays up through a drain (503, and /metrics still scraped), and /healthz
// and the agent agree when the only worker is gone.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/agent_check.h"
#include "tests/support/http_get.h"
#include "tests/support/line_client.h"
#include "tests/support/metric_sample.h"
#include "tests/support/pool_state.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"
#include "tests/support/temp_file.h"
#include "tests/support/wait.h"

namespace fibpool::testing {
namespace {

using namespace std::chrono_literals;

// The status of an HTTP response ("200"); empty when there is none.
std::string StatusOf(const std::string& response) {
  std::smatch m;
  return std::regex_search(response, m, std::regex("^HTTP/1\\.[01] ([0-9]{3}) "))
             ? std::string(m[1])
             : std::string();
}

TEST(Health, DuringADrainHealthzIs503AndMetricsAreStillScraped) {
  ServerProcess server({"--workers", "1", "--metrics-port", "0"});
  LineClient client(server.port());
  LineClient observer(server.port());
  const std::uint16_t port = MetricsPort(observer);
  ASSERT_EQ(StatusOf(HttpGet(port, "/healthz")), "200");
  EXPECT_EQ(Sample(HttpGet(port, "/metrics"), "fibpool_draining"), 0);
  // The busy worker is held: the drain cannot end before the checks.
  const std::optional<pid_t> held = HoldDrainOpen(server, client, observer);
  ASSERT_TRUE(held) << server.Log();

  const std::string health = HttpGet(port, "/healthz");
  EXPECT_EQ(StatusOf(health), "503") << health;
  EXPECT_EQ(BodyOf(health), "unhealthy\n");
  const std::string metrics = HttpGet(port, "/metrics");
  EXPECT_EQ(StatusOf(metrics), "200") << metrics.substr(0, 200);
  EXPECT_NE(metrics.find("\nfibpool_jobs_pending 1\n"), std::string::npos) << metrics;
  EXPECT_EQ(Sample(metrics, "fibpool_draining"), 1) << metrics;

  ASSERT_EQ(::kill(*held, SIGCONT), 0);
  EXPECT_EQ(client.ReadLine(), "102334155");
  EXPECT_EQ(server.WaitExit(10s), 0) << server.Log();
  EXPECT_THROW(LineClient{port}, std::runtime_error);  // nothing listens once it has exited
}

// fibpool-worker behind a script that, while `hold` exists, stops itself
// (SIGSTOP) before it becomes the worker: a replacement started then stays
// "starting" until it is sent SIGCONT.
class HoldableWorker {
 public:
  HoldableWorker()
      : script_("#!/bin/sh\nif [ -e " + hold_path() + " ]; then kill -STOP $$; fi\nexec " +
                BinDir() + "/fibpool-worker \"$@\"\n") {
    ::chmod(script_.path().c_str(), 0700);
  }
  ~HoldableWorker() { ::unlink(hold_path().c_str()); }
  const std::string& path() const { return script_.path(); }
  void Hold() const { std::ofstream(hold_path()) << "hold\n"; }
  void Release() const { ::unlink(hold_path().c_str()); }

 private:
  std::string hold_path() const { return marker_.path() + ".hold"; }

  TempFile marker_{""};
  TempFile script_;
};

TEST(Health, WithTheOnlyWorkerGoneHealthzAndTheAgentAgreeThatItCannotServe) {
  HoldableWorker worker;
  ServerProcess server({"--workers", "1", "--reserve-workers", "0", "--worker-path", worker.path(),
                        "--metrics-port", "0", "--agent-port", "0"});
  LineClient observer(server.port());
  const std::uint16_t metrics = MetricsPort(observer);
  const auto agent = static_cast<std::uint16_t>(AgentPort(server));
  ASSERT_EQ(AskAgent(agent), "up ready 100%");
  ASSERT_EQ(StatusOf(HttpGet(metrics, "/healthz")), "200");

  const std::vector<pid_t> before = server.WorkerPids();
  ASSERT_EQ(before.size(), 1u);
  worker.Hold();
  ASSERT_EQ(::kill(before[0], SIGKILL), 0);
  // Its replacement is held before it is ready: no worker can take a job.
  ASSERT_TRUE(WaitFor([&] { return AskAgent(agent) == "down #no worker available"; }, 20s));
  const std::string health = HttpGet(metrics, "/healthz");
  EXPECT_EQ(StatusOf(health), "503") << health;
  EXPECT_EQ(AskAgent(agent), "down #no worker available");

  worker.Release();
  for (const pid_t p : server.WorkerPids()) ::kill(p, SIGCONT);
  ASSERT_TRUE(WaitFor([&] { return AskAgent(agent) == "up ready 100%"; }, 20s));
  EXPECT_EQ(StatusOf(HttpGet(metrics, "/healthz")), "200");
  EXPECT_EQ(observer.Ask("30"), "832040");
}

}  // namespace
}  // namespace fibpool::testing
