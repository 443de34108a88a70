// perf2.py's output as the articles scenario reads it: bench/articles/perf2.py
// prints "N reqs/sec" once a second, N the requests answered in that second.
// The count of one line, and the median a phase reports. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace fibpool::bench {

// N of a line "N reqs/sec"; std::nullopt for any other line (a traceback).
std::optional<std::uint64_t> ParsePerSecondCount(std::string_view line);

// The median (nearest rank) of `counts` without the first, which holds the
// client's start and, against fibpool, the 20 ms pause before its first
// newline-less request is answered; std::nullopt when there is no other.
std::optional<double> MedianAfterFirst(const std::vector<std::uint64_t>& counts);

}  // namespace fibpool::bench
