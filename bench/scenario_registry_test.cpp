// The scenario registry: the one list that selection, --help and the
// progress estimate read.
#include "bench/scenario_registry.h"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace fibpool::bench {
namespace {

std::vector<std::string> Ids(const std::vector<const Scenario*>& scenarios) {
  std::vector<std::string> ids;
  for (const Scenario* s : scenarios) ids.push_back(s->id());
  return ids;
}

TEST(ScenarioRegistry, EachScenarioIsListedOnce) {
  const std::vector<std::string> ids = AllScenarioIds();
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  EXPECT_EQ(ids, (std::vector<std::string>{"tiny-1", "tiny-8", "tiny-8x16", "rec30-1", "rec30-2",
                                           "rec30-4", "rec30-8", "busy", "big-1e7", "big-1e8",
                                           "timeline", "articles", "noisy", "admission"}));
}

TEST(ScenarioRegistry, AGroupSelectsItsMembersInTheRegistrysOrder) {
  EXPECT_EQ(Ids(SelectScenarios({"tiny"})),
            (std::vector<std::string>{"tiny-1", "tiny-8", "tiny-8x16"}));
  EXPECT_EQ(Ids(SelectScenarios({"recursive"})),
            (std::vector<std::string>{"rec30-1", "rec30-2", "rec30-4", "rec30-8"}));
  EXPECT_EQ(Ids(SelectScenarios({"big"})), (std::vector<std::string>{"big-1e7", "big-1e8"}));
  for (const Scenario* s : AllScenarios()) {
    const auto members = Ids(SelectScenarios({s->group()}));
    EXPECT_NE(std::find(members.begin(), members.end(), s->id()), members.end()) << s->id();
  }
}

TEST(ScenarioRegistry, NamesSelectEachScenarioOnceWhateverTheirOrder) {
  EXPECT_EQ(Ids(SelectScenarios({"noisy", "tiny-8", "tiny", "noisy"})),
            (std::vector<std::string>{"tiny-1", "tiny-8", "tiny-8x16", "noisy"}));
}

TEST(ScenarioRegistry, NoNameOrAllSelectsEveryScenario) {
  EXPECT_EQ(Ids(SelectScenarios({})), AllScenarioIds());
  EXPECT_EQ(Ids(SelectScenarios({"all"})), AllScenarioIds());
}

TEST(ScenarioRegistry, AnUnknownNameIsRejected) {
  EXPECT_THROW(SelectScenarios({"tiny", "tiny-9"}), std::invalid_argument);
  EXPECT_THROW(SelectScenarios({"soak"}), std::invalid_argument);  // it runs alone
  try {
    SelectScenarios({"nosuch"});
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "unknown scenario 'nosuch'");
  }
}

TEST(ScenarioRegistry, HelpNamesEveryScenarioAndEveryGroupOnce) {
  EXPECT_EQ(ScenarioHelp(),
            "Scenarios: tiny-1, tiny-8, tiny-8x16, rec30-1, rec30-2, rec30-4, rec30-8, busy, "
            "big-1e7, big-1e8, timeline, articles, noisy, admission; groups: all, tiny, "
            "recursive, busy, big, timeline, articles, noisy, admission.");
}

TEST(ScenarioRegistry, AnUnknownIdHasNoEstimate) {
  EXPECT_EQ(EstimatedDuration("nosuch", BenchOptions{}).count(), 0);
}

}  // namespace
}  // namespace fibpool::bench
