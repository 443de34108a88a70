// Durations as answers and logs name them. Pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace fibpool::supervisor {

// A configured limit, exactly: "30 s" when whole seconds, else "1500 ms".
std::string LimitText(std::chrono::milliseconds limit);

// An estimate, to three significant digits in the largest unit that fits:
// "850 us", "12.3 ms", "1.81 s", "35.2 min", "4.10 h", "31.7 years".
std::string EstimateText(std::uint64_t nanos);

}  // namespace fibpool::supervisor
