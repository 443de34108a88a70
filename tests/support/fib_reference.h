// Fibonacci numbers computed independently of the server, to check its
// answers: GMP fast doubling (not mpz_fib_ui, which the worker uses); for
// small N see also tests/support/fib_by_addition.h. Header-only; a target
// that includes it links GMP (PkgConfig::GMP). Thread-safe (no shared state).
#pragma once

#include <gmp.h>

#include <cstdint>
#include <string>

namespace fibpool::testing {

// F(n) in decimal by fast doubling: F(2k) = F(k)(2F(k+1) - F(k)),
// F(2k+1) = F(k)^2 + F(k+1)^2, walking the bits of n from the top.
inline std::string FibReference(std::uint64_t n) {
  mpz_t a, b, t, u;  // a = F(k), b = F(k+1)
  mpz_inits(a, b, t, u, nullptr);
  mpz_set_ui(a, 0);
  mpz_set_ui(b, 1);
  for (int bit = 63; bit >= 0; --bit) {
    // t = F(2k) = a(2b - a); u = F(2k+1) = a^2 + b^2
    mpz_mul_2exp(t, b, 1);
    mpz_sub(t, t, a);
    mpz_mul(t, t, a);
    mpz_mul(u, a, a);
    mpz_addmul(u, b, b);
    if ((n >> bit) & 1) {
      mpz_set(a, u);     // F(2k+1)
      mpz_add(b, t, u);  // F(2k+2)
    } else {
      mpz_set(a, t);  // F(2k)
      mpz_set(b, u);  // F(2k+1)
    }
  }
  std::string digits(mpz_sizeinbase(a, 10) + 2, '\0');
  mpz_get_str(digits.data(), 10, a);
  digits.resize(std::char_traits<char>::length(digits.c_str()));
  mpz_clears(a, b, t, u, nullptr);
  return digits;
}

}  // namespace fibpool::testing
