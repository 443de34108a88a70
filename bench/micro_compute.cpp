#include <unistd.h>
// Micro-benchmarks of the compute itself, for scale beside the hops: a tiny
// job as a worker runs it (RunJob: F(20) fast, to decimal), and the classic
// `30 recursive` job.
#include <benchmark/benchmark.h>

#include "worker/fibonacci.h"
#include "worker/job_runner.h"

namespace {

void BM_RunJobTinyFast(benchmark::State& state) {
  const fibpool::ipc::Job job{1, fibpool::ipc::JobKind::kCompute, fibpool::ipc::Algorithm::kFast,
                              static_cast<std::uint64_t>(state.range(0))};
  const fibpool::worker::RunnerLimits limits;
  for (auto _ : state) {
    auto outcome = fibpool::worker::RunJob(job, limits, ::getpid());
    benchmark::DoNotOptimize(outcome.message.text);
  }
}
BENCHMARK(BM_RunJobTinyFast)->Arg(20);

void BM_FibRecursive(benchmark::State& state) {
  const auto n = static_cast<std::uint64_t>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(fibpool::worker::FibRecursive(n));
}
BENCHMARK(BM_FibRecursive)->Arg(30)->Unit(benchmark::kMillisecond);

}  // namespace
