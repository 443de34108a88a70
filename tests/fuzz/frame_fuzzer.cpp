// libFuzzer target: what a worker writes on its result pipe, as the
// supervisor decodes it (supervisor/pool/worker_process.cpp, OnBytes):
// bytes -> FrameDecoder -> Decode<ReadyMessage> / Decode<ResultMessage>.
// A corrupt or malicious worker must not crash the supervisor nor make it
// allocate without bound.
//
// Invariants checked (a violation aborts, which libFuzzer reports):
// - nothing crashes, leaks or trips ASan/UBSan, and no single allocation
//   exceeds libFuzzer's -malloc_limit_mb (by default its -rss_limit_mb, 2048);
// - the frames do not depend on how the bytes are split into reads;
//   kCorrupt is final; a body is at most kMaxFrameBody bytes;
// - a message that decodes re-encodes into a frame that decodes to the same
//   message.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ipc/codec.h"
#include "ipc/frame.h"
#include "ipc/messages.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using fibpool::ipc::Decode;
using fibpool::ipc::EncodeMessage;
using fibpool::ipc::FrameDecoder;
using fibpool::ipc::FrameType;
using fibpool::ipc::ReadyMessage;
using fibpool::ipc::ResultMessage;
using fibpool::ipc::ResultPart;

using fibpool::fuzz::Check;

struct Frames {
  std::vector<std::pair<FrameType, std::string>> frames;
  bool corrupt = false;
  bool operator==(const Frames&) const = default;
};

Frames Split(std::string_view bytes, std::size_t chunk) {
  FrameDecoder decoder;
  Frames out;
  for (std::size_t at = 0; at < bytes.size() && !out.corrupt; at += chunk) {
    decoder.Feed(bytes.substr(at, chunk));
    FrameDecoder::Frame frame;
    for (;;) {
      const auto status = decoder.Next(&frame);
      if (status == FrameDecoder::Status::kNeedMore) break;
      if (status == FrameDecoder::Status::kCorrupt) {
        out.corrupt = true;
        Check(decoder.Next(&frame) == FrameDecoder::Status::kCorrupt);  // final
        break;
      }
      Check(frame.type == FrameType::kReady || frame.type == FrameType::kResult ||
            frame.type == FrameType::kResultPart);
      Check(frame.body.size() <= fibpool::ipc::kMaxFrameBody);
      out.frames.emplace_back(frame.type, std::string(frame.body));
    }
  }
  return out;
}

bool Same(const ResultMessage& a, const ResultMessage& b) {
  return a.job_id == b.job_id && a.status == b.status && a.text == b.text &&
         a.buffer_name == b.buffer_name && a.buffer_length == b.buffer_length &&
         a.cpu_ns == b.cpu_ns && a.peak_rss_bytes == b.peak_rss_bytes;
}

// What OnBytes does with a frame, plus a round trip of what decoded.
void DecodeBody(FrameType type, std::string_view body) {
  if (type == FrameType::kReady) {
    if (const auto m = Decode<ReadyMessage>(body)) {
      const std::string again = EncodeMessage(FrameType::kReady, *m);
      const auto back = Decode<ReadyMessage>(std::string_view(again).substr(8));
      Check(back && back->pid == m->pid && back->cell == m->cell);
    }
  } else if (type == FrameType::kResultPart) {
    if (const auto m = Decode<ResultPart>(body)) {
      const std::string again = EncodeMessage(FrameType::kResultPart, *m);
      const auto back = Decode<ResultPart>(std::string_view(again).substr(8));
      Check(back && back->job_id == m->job_id && back->text == m->text);
    }
  } else {
    if (const auto m = Decode<ResultMessage>(body)) {
      const std::string again = EncodeMessage(FrameType::kResult, *m);
      const auto back = Decode<ResultMessage>(std::string_view(again).substr(8));
      Check(back && Same(*back, *m));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const Frames whole = fibpool::fuzz::SameForEverySplit(bytes, 13, Split);
  for (const auto& [type, body] : whole.frames) {
    DecodeBody(type, body);
    // A body of the other types, as a confused or malicious worker might send.
    for (const FrameType other : {FrameType::kReady, FrameType::kResult, FrameType::kResultPart}) {
      if (other != type) DecodeBody(other, body);
    }
  }
  return 0;
}
