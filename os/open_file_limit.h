// The process's open-file limit (RLIMIT_NOFILE).
//
// Failure behaviour: never throws; a getrlimit or setrlimit that fails leaves
// the limit as it was, and the limit returned is the one in force.
#pragma once

#include <cstdint>

namespace fibpool::os {

// Raises the soft limit to the hard limit; returns the soft limit now in
// force (UINT64_MAX when unlimited).
std::uint64_t RaiseOpenFileLimit();

}  // namespace fibpool::os
