// Writes the seed corpus of frame_fuzzer: a few small, valid frame streams
// made with ipc::EncodeMessage, one file each, into the directory argv[1].
// Not a fuzz target; run by hand when the message formats change:
//   build-fuzz/bin/fuzz_make_frame_seeds tests/fuzz/corpus/frames
#include <cstdio>
#include <fstream>
#include <string>

#include "ipc/frame.h"
#include "ipc/messages.h"

namespace {

using namespace fibpool::ipc;

ResultMessage Result(std::uint64_t id, ResultStatus status, std::string text,
                     std::string buffer_name = "", std::uint64_t buffer_length = 0) {
  ResultMessage m;
  m.job_id = id;
  m.status = status;
  m.text = std::move(text);
  m.buffer_name = std::move(buffer_name);
  m.buffer_length = buffer_length;
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const auto write = [&](const char* name, const std::string& bytes) {
    std::ofstream(dir + "/" + name, std::ios::binary | std::ios::trunc) << bytes;
  };
  const std::string ready = EncodeMessage(FrameType::kReady, ReadyMessage{4242, 1});
  write("ready", ready);
  write("result_inline",
        EncodeMessage(FrameType::kResult, Result(7, ResultStatus::kOk, "354224848179261915075")));
  write("result_buffer",
        EncodeMessage(FrameType::kResult,
                      Result(8, ResultStatus::kOk, "", "fibpool.4242.result.8", 20898764)));
  write("result_out_of_range",
        EncodeMessage(FrameType::kResult,
                      Result(9, ResultStatus::kOutOfRange, "fast takes N <= 100000000")));
  write("result_failed",
        EncodeMessage(FrameType::kResult, Result(10, ResultStatus::kFailed, "allocation failed")));
  write("result_in_parts",
        EncodeMessage(FrameType::kResultPart, fibpool::ipc::ResultPart{11, "354224848179"}) +
            EncodeMessage(FrameType::kResult, Result(11, ResultStatus::kOk, "261915075")));
  write("ready_then_results",
        ready + EncodeMessage(FrameType::kResult, Result(1, ResultStatus::kOk, "55")) +
            EncodeMessage(FrameType::kResult, Result(2, ResultStatus::kOk, "6765")));
  return 0;
}
