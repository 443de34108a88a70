// What a SIGHUP re-read of the configuration means, in words for the log:
// which settings changed and are applied live, which changed but need a
// restart to apply (they keep their running value until then), and which
// lines of the config file the environment or the command line overrides.
//
// Pure: a function of its arguments (thread-safe).
#pragma once

#include <string>

#include "supervisor/config/config.h"

namespace fibpool::supervisor {

// The key=value fields of the reload log line, e.g.
//   config=/etc/fibpool.conf applied="workers 2->3" restart_needed="port 25000->25001"
//   overridden="workers (--workers over /etc/fibpool.conf:4)"
// A field with nothing to list is `none`.
std::string ReloadSummary(const Config& running, const ConfigOutcome& next);

}  // namespace fibpool::supervisor
