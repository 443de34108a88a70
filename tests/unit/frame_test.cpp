#include "ipc/frame.h"

#include <gtest/gtest.h>

#include <cstring>

#include "ipc/codec.h"
#include "ipc/job.h"

namespace fibpool::ipc {
namespace {

TEST(Codec, JobRoundTripsThroughAFixedBuffer) {
  const Job job{42, JobKind::kCompute, Algorithm::kRecursive, 93};
  char buffer[64];
  std::size_t written = 0;
  ASSERT_TRUE(EncodeInto(job, std::span<char>(buffer), &written));
  EXPECT_EQ(Decode<Job>(std::string_view(buffer, written)), job);
}

TEST(Codec, EncodingIntoATooSmallBufferFails) {
  char buffer[4];
  std::size_t written = 0;
  EXPECT_FALSE(EncodeInto(Job{1, JobKind::kCompute, Algorithm::kFast, 1}, std::span<char>(buffer),
                          &written));
}

TEST(Codec, TruncatedBytesDoNotDecode) {
  const std::string bytes = Encode(Job{1, JobKind::kCompute, Algorithm::kFast, 1});
  EXPECT_FALSE(Decode<Job>(std::string_view(bytes).substr(0, bytes.size() - 1)).has_value());
}

TEST(FrameDecoder, YieldsFramesSplitAnywhere) {
  ResultMessage m;
  m.job_id = 9;
  m.text = "354224848179261915075";
  const std::string stream = EncodeMessage(FrameType::kResult, m) +
                             EncodeMessage(FrameType::kReady, ReadyMessage{123, 4});
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    FrameDecoder d;
    d.Feed(std::string_view(stream).substr(0, cut));
    std::vector<FrameType> types;
    FrameDecoder::Frame f;
    std::optional<ResultMessage> result;
    const auto drain = [&] {
      while (d.Next(&f) == FrameDecoder::Status::kFrame) {
        types.push_back(f.type);
        if (f.type == FrameType::kResult) result = Decode<ResultMessage>(f.body);
      }
    };
    drain();
    d.Feed(std::string_view(stream).substr(cut));
    drain();
    ASSERT_EQ(types, (std::vector<FrameType>{FrameType::kResult, FrameType::kReady})) << cut;
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->text, m.text);
    EXPECT_EQ(result->job_id, 9u);
  }
}

TEST(FrameDecoder, OversizedLengthIsCorruptBeforeAnyAllocation) {
  std::string header(8, '\0');
  const std::uint32_t type = 2, length = kMaxFrameBody + 1;
  std::memcpy(header.data(), &type, 4);
  std::memcpy(header.data() + 4, &length, 4);
  FrameDecoder d;
  d.Feed(header);
  FrameDecoder::Frame f;
  EXPECT_EQ(d.Next(&f), FrameDecoder::Status::kCorrupt);
  EXPECT_EQ(d.buffered(), 8u);
}

TEST(FrameDecoder, UnknownTypeIsCorruptAndStaysCorrupt) {
  FrameDecoder d;
  d.Feed(EncodeFrame(static_cast<FrameType>(77), "x"));
  FrameDecoder::Frame f;
  EXPECT_EQ(d.Next(&f), FrameDecoder::Status::kCorrupt);
  d.Feed(EncodeFrame(FrameType::kReady, Encode(ReadyMessage{1, 1})));
  EXPECT_EQ(d.Next(&f), FrameDecoder::Status::kCorrupt);
}

}  // namespace
}  // namespace fibpool::ipc
