#include "worker/fibonacci.h"

#include <cstring>

namespace fibpool::worker {

std::uint64_t FibRecursive(std::uint64_t n) {
  if (n < 2) return n;
  return FibRecursive(n - 1) + FibRecursive(n - 2);
}

BigFibonacci::BigFibonacci(std::uint64_t n) {
  mpz_init(value_);
  mpz_fib_ui(value_, static_cast<unsigned long>(n));
}

BigFibonacci::~BigFibonacci() { mpz_clear(value_); }

std::size_t BigFibonacci::DecimalBufferSize() const { return mpz_sizeinbase(value_, 10) + 2; }

std::size_t BigFibonacci::WriteDecimal(char* out) const {
  mpz_get_str(out, 10, value_);
  // mpz_sizeinbase may exceed the true length by one: the NUL tells.
  const std::size_t bound = DecimalBufferSize() - 2;
  return out[bound - 1] == '\0' ? bound - 1 : bound;
}

std::string BigFibonacci::ToDecimal() const {
  std::string digits(DecimalBufferSize(), '\0');
  digits.resize(WriteDecimal(digits.data()));
  return digits;
}

}  // namespace fibpool::worker
