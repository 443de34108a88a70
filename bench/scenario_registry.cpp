#include "bench/scenario_registry.h"

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "bench/scenarios/scenario_families.h"

namespace fibpool::bench {

namespace {

// Each family's scenarios, in the order they run.
const ScenarioList& Registry() {
  static const ScenarioList registry = [] {
    ScenarioList all;
    for (auto family : {LoadScenarios, BusyScenarios, BigScenarios, TimelineScenarios,
                        ArticlesScenarios, NoisyScenarios, AdmissionScenarios}) {
      for (auto& scenario : family()) all.push_back(std::move(scenario));
    }
    return all;
  }();
  return registry;
}

}  // namespace

const std::vector<const Scenario*>& AllScenarios() {
  static const std::vector<const Scenario*> all = [] {
    std::vector<const Scenario*> out;
    for (const auto& s : Registry()) out.push_back(s.get());
    return out;
  }();
  return all;
}

std::vector<std::string> AllScenarioIds() {
  std::vector<std::string> ids;
  for (const Scenario* s : AllScenarios()) ids.push_back(s->id());
  return ids;
}

std::vector<const Scenario*> SelectScenarios(const std::vector<std::string>& names) {
  const auto& all = AllScenarios();
  std::vector<bool> chosen(all.size(), names.empty());
  for (const std::string& name : names) {
    bool known = false;
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (name == "all" || name == all[i]->id() || name == all[i]->group()) {
        chosen[i] = true;
        known = true;
      }
    }
    if (!known) throw std::invalid_argument("unknown scenario '" + name + "'");
  }
  std::vector<const Scenario*> out;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (chosen[i]) out.push_back(all[i]);
  }
  return out;
}

std::string ScenarioHelp() {
  std::string ids;
  std::vector<std::string> groups = {"all"};
  for (const Scenario* s : AllScenarios()) {
    ids += (ids.empty() ? "" : ", ") + s->id();
    if (std::find(groups.begin(), groups.end(), s->group()) == groups.end()) {
      groups.push_back(s->group());
    }
  }
  std::string group_list;
  for (const std::string& g : groups) group_list += (group_list.empty() ? "" : ", ") + g;
  return "Scenarios: " + ids + "; groups: " + group_list + ".";
}

std::chrono::milliseconds EstimatedDuration(const std::string& id, const BenchOptions& options) {
  for (const Scenario* s : AllScenarios()) {
    if (s->id() == id) return s->EstimatedDuration(options);
  }
  return std::chrono::milliseconds(0);
}

std::string RemainingText(std::chrono::milliseconds left) {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(left).count();
  return s >= 60 ? std::to_string(s / 60) + " min " + std::to_string(s % 60) + " s"
                 : std::to_string(s) + " s";
}

std::vector<ScenarioResult> RunScenarios(BenchServers& servers) {
  const std::vector<const Scenario*> chosen = SelectScenarios(servers.options().scenarios);
  std::vector<ScenarioResult> results;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    std::chrono::milliseconds left{0};
    for (std::size_t k = i; k < chosen.size(); ++k) {
      left += chosen[k]->EstimatedDuration(servers.options());
    }
    servers.Progress("scenario " + std::to_string(i + 1) + "/" + std::to_string(chosen.size()) +
                     " " + chosen[i]->id() + " (about " + RemainingText(left) + " left)");
    results.push_back(chosen[i]->Run(servers));
  }
  return results;
}

}  // namespace fibpool::bench
