// Framing of the worker -> supervisor pipe: a fixed 8-byte header
// {uint32 type, uint32 body length} in host byte order, then the body.
// The length is checked against kMaxFrameBody before anything is allocated;
// large results do not travel here but in result buffers (result_buffer.h).
#pragma once

#include <cstddef>
#include <cstdint>
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
