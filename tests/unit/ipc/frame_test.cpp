#include "ipc/frame.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "ipc/codec.h"
#include "ipc/job.h"
#include "os/unique_fd.h"

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

TEST(FrameWriter, AResultLongerThanOnePartIsSplitIntoPartsThatJoinBackInOrder) {
  std::string digits;
  for (std::size_t i = 0; i < 2 * kResultPartBytes + 10; ++i) digits.push_back(static_cast<char>('0' + i % 7));
  ResultMessage m;
  m.job_id = 5;
  m.text = digits;
  FrameWriter writer;
  AppendResult(writer, m);
  FrameDecoder d;
  d.Feed(writer.pending());
  FrameDecoder::Frame f;
  std::vector<FrameType> types;
  std::string joined;
  while (d.Next(&f) == FrameDecoder::Status::kFrame) {
    ASSERT_LE(f.body.size(), kMaxFrameBody);
    types.push_back(f.type);
    if (f.type == FrameType::kResultPart) {
      const auto part = Decode<ResultPart>(f.body);
      ASSERT_TRUE(part.has_value());
      EXPECT_EQ(part->job_id, 5u);
      joined += part->text;
    } else {
      const auto result = Decode<ResultMessage>(f.body);
      ASSERT_TRUE(result.has_value());
      EXPECT_EQ(result->text.size(), 10u);
      joined += result->text;
    }
  }
  EXPECT_EQ(types, (std::vector<FrameType>{FrameType::kResultPart, FrameType::kResultPart,
                                           FrameType::kResult}));
  EXPECT_TRUE(joined == digits);
}

TEST(FrameWriter, AResultInPartsCarriesWhatItsJobCostInItsResultFrame) {
  ResultMessage m;
  m.job_id = 7;
  m.text = std::string(kResultPartBytes + 1, '3');
  m.cpu_ns = 251'000'000;
  m.peak_rss_bytes = 96u << 20;
  FrameWriter writer;
  AppendResult(writer, m);
  FrameDecoder d;
  d.Feed(writer.pending());
  FrameDecoder::Frame f;
  ASSERT_EQ(d.Next(&f), FrameDecoder::Status::kFrame);
  EXPECT_EQ(f.type, FrameType::kResultPart);
  ASSERT_EQ(d.Next(&f), FrameDecoder::Status::kFrame);
  ASSERT_EQ(f.type, FrameType::kResult);
  const auto result = Decode<ResultMessage>(f.body);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->job_id, 7u);
  EXPECT_EQ(result->text, "3");
  EXPECT_EQ(result->cpu_ns, 251'000'000u);
  EXPECT_EQ(result->peak_rss_bytes, 96u << 20);
}

TEST(FrameWriter, AShortResultIsOneFrame) {
  ResultMessage m;
  m.job_id = 6;
  m.text = "832040";
  FrameWriter writer;
  AppendResult(writer, m);
  EXPECT_EQ(writer.pending(), EncodeMessage(FrameType::kResult,
                                            ResultMessage{6, ResultStatus::kOk, "832040", "", 0}));
}

TEST(FrameDecoder, YieldsFramesSplitAnywhere) {
  ResultMessage m;
  m.job_id = 9;
  m.text = "354224848179261915075";
  const std::string stream =
      EncodeMessage(FrameType::kResult, m) + EncodeMessage(FrameType::kReady, ReadyMessage{123, 4});
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

TEST(FrameWriter, FlushWritesEveryAppendedFrameInOneGoThenStartsAfresh) {
  os::UniqueFd r, w;
  ASSERT_FALSE(os::MakePipe(&r, &w));
  FrameWriter writer;
  ResultMessage m;
  m.job_id = 5;
  m.text = "5";
  writer.Append(FrameType::kReady, ReadyMessage{77, 2});
  writer.Append(FrameType::kResult, m);
  const std::string expected =
      EncodeMessage(FrameType::kReady, ReadyMessage{77, 2}) + EncodeMessage(FrameType::kResult, m);
  EXPECT_EQ(writer.pending(), expected);
  ASSERT_FALSE(writer.Flush(w.get()));
  EXPECT_TRUE(writer.pending().empty());
  std::string got(expected.size(), '\0');
  ASSERT_EQ(::read(r.get(), got.data(), got.size()), static_cast<ssize_t>(got.size()));
  EXPECT_EQ(got, expected);
  writer.Append(FrameType::kResult, m);
  EXPECT_TRUE(writer.Flush(-1));  // a failed write is reported, and its bytes dropped
  EXPECT_TRUE(writer.pending().empty());
}

TEST(FrameDecoder, UnknownTypeIsCorruptAndStaysCorrupt) {
  FrameDecoder d;
  d.Feed(EncodeFrame(static_cast<FrameType>(77), "x"));
  FrameDecoder::Frame f;
  EXPECT_EQ(d.Next(&f), FrameDecoder::Status::kCorrupt);
  d.Feed(EncodeFrame(FrameType::kReady, Encode(ReadyMessage{1, 1})));
  EXPECT_EQ(d.Next(&f), FrameDecoder::Status::kCorrupt);
}

TEST(Codec, AHugeStringLengthInAResultIsRejectedWithoutAllocatingIt) {
  // job_id 1, status kOk, then a text length of 4 GiB and no text bytes.
  std::string body;
  const std::uint64_t id = 1, length = 1ull << 32;
  body.append(reinterpret_cast<const char*>(&id), 8);
  body.push_back(static_cast<char>(ResultStatus::kOk));
  body.append(reinterpret_cast<const char*>(&length), 8);
  EXPECT_FALSE(Decode<ResultMessage>(body).has_value());
}

TEST(Codec, AResultCarriesWhatItsJobCost) {
  ResultMessage m;
  m.job_id = 12;
  m.text = "55";
  m.cpu_ns = 251'000'000;
  m.peak_rss_bytes = 97'000'000;
  const auto decoded = Decode<ResultMessage>(Encode(m));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->text, "55");
  EXPECT_EQ(decoded->cpu_ns, 251'000'000u);
  EXPECT_EQ(decoded->peak_rss_bytes, 97'000'000u);
  // A body without them (another build's) does not decode.
  const std::string bytes = Encode(m);
  EXPECT_FALSE(Decode<ResultMessage>(std::string_view(bytes).substr(0, bytes.size() - 16)));
}

TEST(Codec, BoundedStringsKeepTheWireFormatOfPlainStrings) {
  ResultMessage m;
  m.job_id = 3;
  m.text = "832040";
  m.buffer_name = "fibpool.1.r3";
  const auto decoded = Decode<ResultMessage>(Encode(m));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->text, "832040");
  EXPECT_EQ(decoded->buffer_name, "fibpool.1.r3");
  std::string plain;
  {
    std::ostringstream out;
    cereal::BinaryOutputArchive archive(out);
    archive(m.job_id, m.status, m.text, m.buffer_name, m.buffer_length, m.cpu_ns, m.peak_rss_bytes);
    plain = out.str();
  }
  EXPECT_EQ(Encode(m), plain);
}

}  // namespace
}  // namespace fibpool::ipc
