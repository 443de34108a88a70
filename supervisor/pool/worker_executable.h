// Whether the worker executable can be started: checked at start, by
// --check-config and before a reload takes a new worker_path, so that a
// wrong path is reported up front and never at the next respawn.
//
// Reads the file system (stat and access); thread-safe; never throws.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace fibpool::supervisor {

// Why `path` cannot be run as the worker ("worker executable PATH not found",
// "worker executable PATH is not executable (is a directory)", ...), or
// std::nullopt when it can.
std::optional<std::string> WorkerExecutableProblem(const std::filesystem::path& path);

}  // namespace fibpool::supervisor
