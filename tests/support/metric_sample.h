// Reading one sample out of a Prometheus text body, as the tests do. Pure,
// header-only.
#pragma once

#include <optional>
#include <string>

namespace fibpool::testing {

// The value of the sample `name_and_labels` (a name, with its labels if it
// has any, as the body prints them), if the series exists.
inline std::optional<double> Sample(const std::string& metrics, const std::string& name_and_labels) {
  const std::string prefix = "\n" + name_and_labels + " ";
  const auto at = metrics.find(prefix);
  if (at == std::string::npos) return std::nullopt;
  return std::stod(metrics.substr(at + prefix.size()));
}

}  // namespace fibpool::testing
