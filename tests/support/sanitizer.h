// Whether this build runs under AddressSanitizer (scripts/sanitize) or
// ThreadSanitizer (scripts/tsan); each builds the tests and the binaries they
// start alike. For bounds and tests that a sanitizer's shadow memory and
// allocator change.
#pragma once

// GCC defines __SANITIZE_ADDRESS__ / __SANITIZE_THREAD__; clang answers
// __has_feature, which GCC 12 lacks.
#if defined(__has_feature)
#define FIBPOOL_HAS_FEATURE(x) __has_feature(x)
#else
#define FIBPOOL_HAS_FEATURE(x) 0
#endif

namespace fibpool::testing {

#if defined(__SANITIZE_ADDRESS__) || FIBPOOL_HAS_FEATURE(address_sanitizer)
inline constexpr bool kAddressSanitized = true;
#else
inline constexpr bool kAddressSanitized = false;
#endif

#if defined(__SANITIZE_THREAD__) || FIBPOOL_HAS_FEATURE(thread_sanitizer)
inline constexpr bool kThreadSanitized = true;
#else
inline constexpr bool kThreadSanitized = false;
#endif

// Either: shadow memory multiplies resident memory, and the sanitizer's own
// allocator serves malloc (it ends the process when RLIMIT_AS is exhausted
// instead of returning NULL).
inline constexpr bool kSanitized = kAddressSanitized || kThreadSanitized;

}  // namespace fibpool::testing
