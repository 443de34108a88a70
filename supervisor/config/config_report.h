// What `fibpool --check-config` prints: every setting's effective value and
// where it came from (default, file FILE:LINE, environment FIBPOOL_NAME or
// flag --name), a file line that a higher layer overrides, and the warnings.
// Pure; never throws.
#pragma once

#include <string>

#include "supervisor/config/config.h"

namespace fibpool::supervisor {

// `worker_executable` is the path the workers would be started from (shown
// for worker_path when the setting is empty).
std::string ConfigReport(const ConfigOutcome& outcome, const std::string& worker_executable);

}  // namespace fibpool::supervisor
