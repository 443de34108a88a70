// Micro-benchmark of the request parser (supervisor/protocol/request_parser.h) on the
// lines the benchmark sends and on a few others.
#include <string_view>

#include <benchmark/benchmark.h>

#include "supervisor/protocol/request_parser.h"

namespace {

constexpr std::string_view kLines[] = {
    "20", "20 fast", "30 recursive", "fib 100000000 fast", "  PING\r", "bogus request",
};

void BM_ParseRequest(benchmark::State& state) {
  const std::string_view line = kLines[state.range(0)];
  const fibpool::supervisor::ParserLimits limits;
  for (auto _ : state) {
    auto request = fibpool::supervisor::ParseRequest(line, limits);
    benchmark::DoNotOptimize(request);
  }
  std::string label(line.substr(0, line.find('\r')));
  label.insert(label.begin(), '\'');
  label.push_back('\'');
  state.SetLabel(label);
}
BENCHMARK(BM_ParseRequest)->DenseRange(0, std::size(kLines) - 1);

}  // namespace
