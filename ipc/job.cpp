#include "ipc/job.h"

namespace fibpool::ipc {

std::optional<Algorithm> ParseAlgorithm(std::string_view name) {
  if (name == "fast") return Algorithm::kFast;
  if (name == "recursive") return Algorithm::kRecursive;
  return std::nullopt;
}

std::string_view AlgorithmName(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::kFast:
      return "fast";
    case Algorithm::kRecursive:
      return "recursive";
  }
  return "unknown";
}

}  // namespace fibpool::ipc
