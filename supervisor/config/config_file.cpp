#include "supervisor/config/config_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "supervisor/config/config.h"
#include "supervisor/config/settings.h"

namespace fibpool::supervisor {

namespace {

std::string Trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

// The line without its comment: '#' or ';' at the start or after whitespace.
std::string WithoutComment(const std::string& line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    if ((line[i] == '#' || line[i] == ';') &&
        (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
      return line.substr(0, i);
    }
  }
  return line;
}

}  // namespace

std::vector<ConfigFileEntry> ReadConfigFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw ConfigError("config file " + path + " is a directory, not a file");
  }
  errno = 0;
  std::ifstream in(path);
  if (!in) {
    const int error = errno;
    throw ConfigError("cannot read config file " + path +
                      (error != 0 ? " (" + std::string(std::strerror(error)) + ")" : ""));
  }
  std::vector<ConfigFileEntry> entries;
  std::map<std::string, std::string> seen;  // name -> where
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    // A UTF-8 byte-order mark, as some editors write one.
    if (number == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
    const std::string where = path + ":" + std::to_string(number);
    const std::string text = Trim(WithoutComment(line));
    if (text.empty()) continue;
    if (text.front() == '[') {
      throw ConfigError(where + ": sections are not supported; write NAME = VALUE lines");
    }
    const auto eq = text.find('=');
    if (eq == std::string::npos) {
      throw ConfigError(where + ": expected NAME = VALUE, got '" + text + "'");
    }
    const std::string key = Trim(text.substr(0, eq));
    const std::string name = SettingName(key);
    if (name == "config") {
      throw ConfigError(where + ": config cannot be set inside a config file");
    }
    if (!FindSetting(name)) {
      const Setting* closest = ClosestSetting(name);
      throw ConfigError(where + ": unknown setting '" + key + "'" +
                        (closest ? "; did you mean " + FileName(closest->name) + "?" : ""));
    }
    if (const auto before = seen.find(name); before != seen.end()) {
      throw ConfigError(where + ": " + FileName(name) + " is already set at " + before->second);
    }
    seen.emplace(name, where);
    entries.push_back({name, Trim(text.substr(eq + 1)), where});
  }
  if (in.bad()) throw ConfigError("cannot read config file " + path);
  return entries;
}

}  // namespace fibpool::supervisor
