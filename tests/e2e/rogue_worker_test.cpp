// A worker gone wrong (tests/support/rogue_worker.cpp) names fibpool's own job
// queue as its result buffer: the supervisor refuses the name without touching
// the segment, answers that job ERR internal, logs the worker, and the queue
// goes on serving, new workers included.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <string>

#include "ipc/segment_names.h"
#include "tests/support/line_client.h"
#include "tests/support/log_lines.h"
#include "tests/support/pool_state.h"
#include "tests/support/rogue_worker.h"
#include "tests/support/server_process.h"
#include "tests/support/wait.h"

namespace fibpool::testing {
namespace {

using namespace std::chrono_literals;

TEST(RogueWorker, AResultNamingTheJobQueueIsRefusedAndTheQueueServesOn) {
  ServerProcess server({"--workers", "1", "--reserve-workers", "0", "--worker-path",
                        BinDir() + "/fibpool-rogue-worker"});
  LineClient client(server.port());
  ASSERT_EQ(client.Ask("10"), "55");  // an ordinary job, answered as it should be
  const std::string queue = ipc::QueueSegmentName(server.pid());
  ASSERT_TRUE(std::filesystem::exists("/dev/shm/" + queue));
  const auto workers = server.WorkerPids();
  ASSERT_EQ(workers.size(), 1u);

  const auto answer = client.Ask(std::to_string(kRogueN));
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->rfind("ERR internal result buffer lost: ", 0), 0u) << *answer;
  std::string refused;
  EXPECT_TRUE(WaitFor(
      [&] { return !(refused = LogLineWith(server.Log(), "event=result_buffer_refused")).empty(); },
      5s))
      << server.Log();
  EXPECT_NE(refused.find("pid=" + std::to_string(workers[0]) + " job="), std::string::npos)
      << refused;
  EXPECT_NE(refused.find("name=\"" + queue + "\""), std::string::npos) << refused;

  // The queue's name is still there: a worker started now attaches to it.
  EXPECT_TRUE(std::filesystem::exists("/dev/shm/" + queue));
  ASSERT_EQ(::kill(workers[0], SIGKILL), 0);
  EXPECT_TRUE(WaitFor([&] { return PoolIsWhole(client, 1, workers); }, 10s));
  EXPECT_EQ(client.Ask("11"), "89");
}

}  // namespace
}  // namespace fibpool::testing
