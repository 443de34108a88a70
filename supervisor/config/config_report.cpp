#include "supervisor/config/config_report.h"

#include "supervisor/config/settings.h"

namespace fibpool::supervisor {

namespace {

// "--port" -> "flag --port", "FIBPOOL_PORT" -> "environment FIBPOOL_PORT",
// "FILE:LINE" -> "file FILE:LINE".
std::string SourceText(const std::string& where) {
  if (where.starts_with("--")) return "flag " + where;
  if (where.starts_with("FIBPOOL_")) return "environment " + where;
  return "file " + where;
}

}  // namespace

std::string ConfigReport(const ConfigOutcome& outcome, const std::string& worker_executable) {
  const Config& c = outcome.config;
  std::string out = "fibpool " FIBPOOL_VERSION ": the configuration is valid\n";
  out += "config = " + (c.config_file.empty() ? std::string("(none)") : c.config_file) + "\n";
  for (const Setting& s : Settings()) {
    const std::string name(s.name);
    std::string value = s.show(c);
    if (name == "worker-path" && value.empty()) value = worker_executable;
    const auto where = outcome.sources.find(name);
    std::string source = where == outcome.sources.end() ? "default" : SourceText(where->second);
    if (const auto file = outcome.overridden_in_file.find(name);
        file != outcome.overridden_in_file.end()) {
      source += "; overrides file " + file->second;
    }
    out += FileName(s.name) + " = " + value + "  (" + source + ")\n";
  }
  for (const std::string& warning : outcome.warnings) out += "warning: " + warning + "\n";
  return out;
}

}  // namespace fibpool::supervisor
