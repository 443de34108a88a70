// How long the bench waits on a server it runs. Each default is stated here once.
#pragma once

#include <chrono>

namespace fibpool::bench {

// A child server's start: from exec to its first answered request.
inline constexpr std::chrono::milliseconds kStartTimeout{15'000};
// One stats request's answer.
inline constexpr std::chrono::milliseconds kStatsTimeout{5'000};

}  // namespace fibpool::bench
