// Framing of the worker -> supervisor pipe: a fixed 8-byte header
// {uint32 type, uint32 body length} in host byte order, then the body.
// The length is checked against kMaxFrameBody before anything is allocated.
// Large results normally travel in result buffers (result_buffer.h); when
// they come through the pipe, their digits are split into ResultPart frames
// (AppendResult).
#pragma once

#include <boost/system/error_code.hpp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

#include "ipc/codec.h"
#include "ipc/messages.h"

namespace fibpool::ipc {

inline constexpr std::size_t kFrameHeaderBytes = 8;
inline constexpr std::uint32_t kMaxFrameBody = 1u << 20;

std::string EncodeFrame(FrameType type, std::string_view body);

template <class Message>
std::string EncodeMessage(FrameType type, const Message& message) {
  return EncodeFrame(type, Encode(message));
}

// Encodes frames into one buffer it reuses and writes them out together:
// once warm, a frame costs no allocation and no stream construction, and a
// batch of frames one write (the hot path of a worker). Not thread-safe.
class FrameWriter {
 public:
  FrameWriter() : buf_(&buffer_), stream_(&buf_) {}
  FrameWriter(const FrameWriter&) = delete;
  FrameWriter& operator=(const FrameWriter&) = delete;

  // Appends one frame to the pending bytes.
  template <class Message>
  void Append(FrameType type, const Message& message) {
    const std::size_t start = buffer_.size();
    buffer_.append(kFrameHeaderBytes, '\0');
    {
      cereal::BinaryOutputArchive archive(stream_);
      archive(message);
    }
    const auto t = static_cast<std::uint32_t>(type);
    const auto n = static_cast<std::uint32_t>(buffer_.size() - start - kFrameHeaderBytes);
    std::memcpy(buffer_.data() + start, &t, 4);
    std::memcpy(buffer_.data() + start + 4, &n, 4);
  }
  // The frames appended since the last Flush().
  std::string_view pending() const { return buffer_; }
  // Writes the pending frames to `fd` (blocking) and forgets them, whether
  // the write succeeded or not.
  boost::system::error_code Flush(int fd);

 private:
  // A streambuf that appends to a std::string.
  class AppendBuf : public std::streambuf {
   public:
    explicit AppendBuf(std::string* out) : out_(out) {}

   protected:
    std::streamsize xsputn(const char* s, std::streamsize n) override {
      out_->append(s, static_cast<std::size_t>(n));
      return n;
    }
    int_type overflow(int_type c) override {
      if (!traits_type::eq_int_type(c, traits_type::eof())) out_->push_back(static_cast<char>(c));
      return traits_type::not_eof(c);
    }

   private:
    std::string* out_;
  };

  std::string buffer_;
  AppendBuf buf_;
  std::ostream stream_;
};

// Appends `message` as its Result frame, preceded by ResultPart frames
// carrying all but the last kResultPartBytes of its text when the text is
// longer than that (messages.h). Leaves message.text empty.
void AppendResult(FrameWriter& writer, ResultMessage& message);

// Splits a byte stream into frames. Pure: no I/O. Not thread-safe.
class FrameDecoder {
 public:
  enum class Status { kFrame, kNeedMore, kCorrupt };
  struct Frame {
    FrameType type;
    std::string_view body;  // valid until the next call to Feed() or Next()
  };

  // Appends received bytes.
  void Feed(std::string_view bytes);
  // Yields the next whole frame. kCorrupt (a length over kMaxFrameBody or an
  // unknown type) is final: the stream cannot be resynchronised.
  Status Next(Frame* frame);
  std::size_t buffered() const { return buffer_.size() - consumed_; }

 private:
  std::string buffer_;
  std::size_t consumed_ = 0;
  bool corrupt_ = false;
};

}  // namespace fibpool::ipc
