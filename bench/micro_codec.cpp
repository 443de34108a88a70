// Micro-benchmarks of the codec on the pool's hot path: a Job encoded into a
// queue slot and decoded by a worker (cereal binary archive over a fixed
// buffer), and a ResultMessage framed by a worker and decoded by the
// supervisor (EncodeMessage, FrameDecoder, Decode). Result text sizes: a tiny
// answer, and the largest answer that travels inline (64 KiB).
#include <string>

#include <benchmark/benchmark.h>

#include "ipc/codec.h"
#include "ipc/frame.h"
#include "ipc/job.h"
#include "ipc/messages.h"

namespace {

using fibpool::ipc::Job;

Job SampleJob() {
  return Job{123456, fibpool::ipc::JobKind::kCompute, fibpool::ipc::Algorithm::kFast, 20};
}

void BM_EncodeJob(benchmark::State& state) {
  const Job job = SampleJob();
  char slot[60];
  std::size_t written = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(fibpool::ipc::EncodeInto(job, std::span<char>(slot), &written));
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_EncodeJob);

void BM_DecodeJob(benchmark::State& state) {
  char slot[60];
  std::size_t written = 0;
  fibpool::ipc::EncodeInto(SampleJob(), std::span<char>(slot), &written);
  for (auto _ : state) {
    auto job = fibpool::ipc::Decode<Job>(std::string_view(slot, written));
    benchmark::DoNotOptimize(job);
  }
}
BENCHMARK(BM_DecodeJob);

fibpool::ipc::ResultMessage SampleResult(std::size_t digits) {
  fibpool::ipc::ResultMessage m;
  m.job_id = 123456;
  m.text = std::string(digits, '7');
  return m;
}

void BM_EncodeResultFrame(benchmark::State& state) {
  const auto m = SampleResult(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto frame = fibpool::ipc::EncodeMessage(fibpool::ipc::FrameType::kResult, m);
    benchmark::DoNotOptimize(frame);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_EncodeResultFrame)->Arg(4)->Arg(64 * 1024);

void BM_DecodeResultFrame(benchmark::State& state) {
  const std::string frame = fibpool::ipc::EncodeMessage(
      fibpool::ipc::FrameType::kResult, SampleResult(static_cast<std::size_t>(state.range(0))));
  fibpool::ipc::FrameDecoder decoder;
  for (auto _ : state) {
    decoder.Feed(frame);
    fibpool::ipc::FrameDecoder::Frame f;
    decoder.Next(&f);
    auto m = fibpool::ipc::Decode<fibpool::ipc::ResultMessage>(f.body);
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_DecodeResultFrame)->Arg(4)->Arg(64 * 1024);

}  // namespace
