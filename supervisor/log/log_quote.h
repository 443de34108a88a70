// Client bytes as a value in a `key=value` log line: quoted and escaped, so
// that whatever a client sends (quotes, control bytes, a newline, megabytes
// of one line) stays one field of one line. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fibpool::supervisor {

// `text` in double quotes, `"` and `\` escaped with a backslash and every
// byte outside printable ASCII as \xNN; of a longer text, its first
// `max_bytes` bytes followed by `...` after the closing quote.
std::string LogQuoted(std::string_view text, std::size_t max_bytes = 128);

}  // namespace fibpool::supervisor
