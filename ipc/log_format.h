// The format of a log line, the same for fibpool and fibpool-worker (they
// share one stderr): an ISO 8601 timestamp in UTC with milliseconds and a
// `Z`, whatever TZ says, the level, the program and its pid, then the
// event's `key=value` fields:
//   2026-12-07T13:45:01.123Z info fibpool[4242] event=ready ...
// Header-only, no state.
#pragma once

#include <string>
#include <string_view>

namespace fibpool::ipc {

// The spdlog pattern of `program`'s lines; set it with
// spdlog::pattern_time_type::utc, which the `Z` states.
inline std::string LogPattern(std::string_view program) {
  return "%Y-%m-%dT%H:%M:%S.%eZ %l " + std::string(program) + "[%P] %v";
}

}  // namespace fibpool::ipc
