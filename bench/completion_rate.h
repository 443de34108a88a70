// How many answers a client received within a stretch of a run, from the
// times they arrived: for comparing a client's throughput between phases of
// one run (the noisy-neighbour scenario: client A alone, then beside B).
//
// The count is interpolated linearly between consecutive answers, so that a
// phase boundary falling between two answers counts the part of the gap it
// covers rather than the whole answer or none of it: with answers a quarter
// of a second apart, a whole-answer count over a 4 s phase can be off by
// 6 % from where the phase happens to start. Pure; never throws.
#pragma once

#include <cstdint>
#include <vector>

namespace fibpool::bench {

// Answers received by `t_ns`, interpolated: `times_ns` are the arrival times
// (ns from the start of the run, ascending; several may be equal), and the
// run's start counts as an answer-free origin (0 answers at t = 0). Past the
// last answer the count stays at their number.
double CompletionsBy(const std::vector<std::int64_t>& times_ns, std::int64_t t_ns);

// CompletionsBy(to) - CompletionsBy(from).
double CompletionsBetween(const std::vector<std::int64_t>& times_ns, std::int64_t from_ns,
                          std::int64_t to_ns);

}  // namespace fibpool::bench
