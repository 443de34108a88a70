// Whether this build runs under AddressSanitizer (scripts/sanitize builds the
// tests and the binaries they start alike), for bounds and tests that the
// sanitizer's shadow memory and allocator change.
#pragma once

namespace fibpool::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitized = true;
#else
inline constexpr bool kAddressSanitized = false;
#endif
#else
inline constexpr bool kAddressSanitized = false;
#endif

}  // namespace fibpool::testing
