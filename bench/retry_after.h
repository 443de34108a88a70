// fibpool's admission refusal as a client reads it: the line `ERR busy
// retry_after=S` (docs/protocol.md), S a decimal integer of at least 1, the
// job's estimated start in whole seconds; and a summary of the S values a run
// was told, and what the jobs accepted right after a refusal waited. Pure: no
// I/O, never throws except std::bad_alloc.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bench/latency_samples.h"

namespace fibpool::bench {

// A refusal as a client saw it: when it arrived (ns from the start of the
// run) and its S.
struct RefusalSeen {
  std::int64_t at_ns = 0;
  unsigned s = 0;
};

// A job answered with a result: when it was sent (ns from the start of the
// run) and how long it waited for its answer.
struct AcceptedJob {
  std::int64_t sent_ns = 0;
  std::int64_t wait_ns = 0;
};

// S if `answer` (one answer line, with or without its LF) is exactly
// `ERR busy retry_after=S`; std::nullopt for anything else (a result, another
// ERR, an S of 0, a malformed or out-of-range S).
std::optional<unsigned> ParseRetryAfter(std::string_view answer);

// How many refusals named each S, by S ascending.
std::map<unsigned, std::uint64_t> RetryAfterCounts(const std::vector<unsigned>& values);

// "1 s: 40, 2 s: 12" (S ascending); "-" when there is none.
std::string RetryAfterText(const std::vector<unsigned>& values);

// For each S, the waits of the jobs accepted next after the refusals that
// named it: per refusal, the first job (of any client) sent at or after the
// refusal arrived and answered with a result. That job met the backlog the
// refused one would have joined, so its wait is what the refused job would
// have waited, its own run included; a refusal after which no job was
// accepted adds nothing.
std::map<unsigned, LatencySamples> WaitAfterRefusal(const std::vector<RefusalSeen>& refusals,
                                                    std::vector<AcceptedJob> accepted);

}  // namespace fibpool::bench
