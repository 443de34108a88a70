// Reading fibpool's INI-style config file: `name = value` lines, blank lines,
// and comments that start with '#' or ';' at the start of a line or after
// whitespace (so `workers = 4  # four` is workers = 4).
//
// Failure behaviour: ReadConfigFile throws ConfigError naming the file, and
// the line where there is one (FILE:LINE: ...): unreadable file, a directory,
// a line that is not `name = value`, a [section], `config = ...` (a file
// cannot name another), a name that is not a setting (with the closest one),
// a name given twice. Values are not checked here (settings.h does that).
#pragma once

#include <string>
#include <vector>

namespace fibpool::supervisor {

struct ConfigFileEntry {
  std::string name;   // command-line form: "max-n"
  std::string value;  // trimmed, comment removed
  std::string where;  // "FILE:LINE"
};

std::vector<ConfigFileEntry> ReadConfigFile(const std::string& path);

}  // namespace fibpool::supervisor
