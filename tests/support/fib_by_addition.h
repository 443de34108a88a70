// Fibonacci numbers by schoolbook decimal-string addition: the reference
// that shares nothing with the worker (no GMP), for small N. Header-only,
// pure, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace fibpool::testing {

// F(0) .. F(count - 1) in decimal, by adding decimal strings digit by digit.
inline std::vector<std::string> FibTableByAddition(std::size_t count) {
  const auto add = [](const std::string& x, const std::string& y) {
    std::string sum;
    int carry = 0;
    for (std::size_t i = 0; i < x.size() || i < y.size() || carry; ++i) {
      const int dx = i < x.size() ? x[x.size() - 1 - i] - '0' : 0;
      const int dy = i < y.size() ? y[y.size() - 1 - i] - '0' : 0;
      const int d = dx + dy + carry;
      sum.push_back(static_cast<char>('0' + d % 10));
      carry = d / 10;
    }
    return std::string(sum.rbegin(), sum.rend());
  };
  std::vector<std::string> table;
  for (std::size_t i = 0; i < count; ++i) {
    table.push_back(i < 2 ? std::to_string(i) : add(table[i - 1], table[i - 2]));
  }
  return table;
}

}  // namespace fibpool::testing
