// fibpool's admission refusal as a client reads it: the line `ERR busy
// retry_after=S` (docs/protocol.md), S a decimal integer of at least 1, the
// job's estimated start in whole seconds; and a summary of the S values a run
// was told. Pure: no I/O, never throws except std::bad_alloc.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fibpool::bench {

// S if `answer` (one answer line, with or without its LF) is exactly
// `ERR busy retry_after=S`; std::nullopt for anything else (a result, another
// ERR, an S of 0, a malformed or out-of-range S).
std::optional<unsigned> ParseRetryAfter(std::string_view answer);

// How many refusals named each S, by S ascending.
std::map<unsigned, std::uint64_t> RetryAfterCounts(const std::vector<unsigned>& values);

// "1 s: 40, 2 s: 12" (S ascending); "-" when there is none.
std::string RetryAfterText(const std::vector<unsigned>& values);

}  // namespace fibpool::bench
