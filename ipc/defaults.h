// The limits and default settings that the supervisor and the workers share,
// each stated once: the settings' built-in defaults (supervisor/config/config.h
// refers to these), the defaults of the worker's command line
// (ipc/worker_args.h) and the limits both sides check.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace fibpool::ipc {

// Largest n whose F(n) fits in 64 bits: the limit of `recursive`.
inline constexpr std::uint64_t kMaxRecursiveN = 93;

// Largest n for `fast` unless max_n says otherwise.
inline constexpr std::uint64_t kDefaultMaxN = 100'000'000;
// Microseconds an idle worker polls its queue before it sleeps.
inline constexpr std::chrono::microseconds kDefaultWorkerSpin{50};
// Nice value of the main lane's workers (the reserve lane runs at 0).
inline constexpr int kDefaultWorkerNice = 10;
inline constexpr std::string_view kDefaultLogLevel = "info";

// Results of more digits than this travel in a result buffer, not inline.
inline constexpr std::size_t kInlineResultLimit = 64 * 1024;
// The worker's end of its result pipe.
inline constexpr int kResultFd = 3;

}  // namespace fibpool::ipc
