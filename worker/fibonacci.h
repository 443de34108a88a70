// The two ways fibpool computes F(n). Pure computation: no I/O, no processes.
#pragma once

#include <gmp.h>

#include <cstdint>
#include <string>

#include "ipc/defaults.h"

namespace fibpool::worker {

// Largest n whose F(n) fits in 64 bits: the limit of FibRecursive.
using ipc::kMaxRecursiveN;

// The naive recursion F(n) = F(n-1) + F(n-2), deliberately exponential
// (about 1.618^n calls): the CPU-bound job of the classic demo. n <= 93.
std::uint64_t FibRecursive(std::uint64_t n);

// F(n) exactly, with GMP's Lucas-sequence algorithm. Owns its mpz value.
// When GMP cannot get memory, what happens is what the process's GMP memory
// functions do: in the worker (gmp_memory.h) the running job is answered
// "out of memory" and the worker exits cleanly; with GMP's own functions the
// process aborts. No exception comes out of GMP.
class BigFibonacci {
 public:
  explicit BigFibonacci(std::uint64_t n);
  ~BigFibonacci();
  BigFibonacci(const BigFibonacci&) = delete;
  BigFibonacci& operator=(const BigFibonacci&) = delete;

  // Upper bound of the decimal digits plus terminating NUL: the buffer size
  // that WriteDecimal needs.
  std::size_t DecimalBufferSize() const;
  // Writes the digits and a NUL into `out` (DecimalBufferSize() bytes);
  // returns the number of digits.
  std::size_t WriteDecimal(char* out) const;
  std::string ToDecimal() const;

 private:
  mpz_t value_;
};

}  // namespace fibpool::worker
