#include "supervisor/config/reload_summary.h"

#include "supervisor/config/settings.h"

namespace fibpool::supervisor {

namespace {

std::string Field(const char* key, const std::string& list) {
  return std::string(key) + "=" + (list.empty() ? "none" : "\"" + list + "\"");
}

void Append(std::string* list, const std::string& item) {
  if (!list->empty()) *list += ", ";
  *list += item;
}

}  // namespace

std::string ReloadSummary(const Config& running, const ConfigOutcome& next) {
  std::string applied;
  std::string restart_needed;
  std::string overridden;
  for (const Setting& s : Settings()) {
    const std::string before = s.show(running);
    const std::string after = s.show(next.config);
    if (before != after) {
      Append(s.live ? &applied : &restart_needed, FileName(s.name) + " " + before + "->" + after);
    }
    const std::string name(s.name);
    if (const auto line = next.overridden_in_file.find(name);
        line != next.overridden_in_file.end()) {
      Append(&overridden,
             FileName(s.name) + " (" + next.sources.at(name) + " over " + line->second + ")");
    }
  }
  return "config=" + next.config.config_file + " " + Field("applied", applied) + " " +
         Field("restart_needed", restart_needed) + " " + Field("overridden", overridden);
}

}  // namespace fibpool::supervisor
