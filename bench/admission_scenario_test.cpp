// What the admission scenario runs: fibpool only, so a run limited to one of
// the baselines (--only) runs none of its phases.
#include "bench/admission_scenario.h"

#include <gtest/gtest.h>

namespace fibpool::bench {
namespace {

TEST(AdmissionScenarioTest, OnlyABaselineRunsNoPhaseAndStartsNoFibpool) {
  for (const std::string only : {"baseline", "per-core"}) {
    BenchOptions options;
    options.only = only;
    std::vector<std::string> progress;
    // A phase would try to start this and record its failure.
    const ScenarioResult r =
        AdmissionScenario(options, {"/nonexistent/fibpool"}, [&](const std::string& line) {
          progress.push_back(line);
        }).Run();
    EXPECT_EQ(r.measure, ScenarioResult::Measure::kAdmission) << only;
    EXPECT_TRUE(r.admission.empty()) << only;
    EXPECT_TRUE(progress.empty()) << only;
  }
}

TEST(AdmissionScenarioTest, OnlyFibpoolRunsBothPhases) {
  BenchOptions options;
  options.only = "fibpool";
  // Both phases fail to start their fibpool, and say so.
  const ScenarioResult r =
      AdmissionScenario(options, {"/nonexistent/fibpool"}, [](const std::string&) {}).Run();
  ASSERT_EQ(r.admission.size(), 2u);
  EXPECT_EQ(r.admission[0].max_wait_ms, 0u);
  EXPECT_EQ(r.admission[1].max_wait_ms, 1000u);
  for (const AdmissionPhase& p : r.admission) {
    EXPECT_FALSE(p.ran);
    EXPECT_FALSE(p.accepted.first_error.empty());
  }
}

}  // namespace
}  // namespace fibpool::bench
