#include "supervisor/admin/serving_state.h"

#include <gtest/gtest.h>

#include "supervisor/admin/agent_answer.h"

namespace fibpool::supervisor {
namespace {

TEST(ServingState, ServesWithAReadyWorkerAndNotDraining) {
  EXPECT_TRUE(CanServe({false, 1}));
  EXPECT_TRUE(CanServe({false, 8}));
  EXPECT_FALSE(CanServe({false, 0}));
  EXPECT_FALSE(CanServe({true, 8}));
  EXPECT_FALSE(CanServe({true, 0}));
}

TEST(ServingState, TheAgentSaysUpExactlyWhenTheInstanceCanServe) {
  for (const bool draining : {false, true}) {
    for (const unsigned ready : {0u, 1u, 3u}) {
      const ServingState state{draining, ready};
      const std::string answer = AgentAnswer(AgentState{state, 0});
      EXPECT_EQ(answer.starts_with("up "), CanServe(state)) << draining << " " << ready;
    }
  }
}

}  // namespace
}  // namespace fibpool::supervisor
