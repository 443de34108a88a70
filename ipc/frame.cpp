#include "ipc/frame.h"

#include <cstring>

#include "os/unique_fd.h"

namespace fibpool::ipc {

std::string EncodeFrame(FrameType type, std::string_view body) {
  std::string frame(kFrameHeaderBytes + body.size(), '\0');
  const auto t = static_cast<std::uint32_t>(type);
  const auto n = static_cast<std::uint32_t>(body.size());
  std::memcpy(frame.data(), &t, 4);
  std::memcpy(frame.data() + 4, &n, 4);
  std::memcpy(frame.data() + kFrameHeaderBytes, body.data(), body.size());
  return frame;
}

boost::system::error_code FrameWriter::Flush(int fd) {
  if (buffer_.empty()) return {};
  const boost::system::error_code error = os::WriteAll(fd, buffer_.data(), buffer_.size());
  buffer_.clear();
  return error;
}

void AppendResult(FrameWriter& writer, ResultMessage& message) {
  std::string& text = message.text;
  std::size_t sent = 0;
  while (text.size() - sent > kResultPartBytes) {
    ResultPart part;
    part.job_id = message.job_id;
    part.text.assign(text, sent, kResultPartBytes);
    writer.Append(FrameType::kResultPart, part);
    sent += kResultPartBytes;
  }
  text.erase(0, sent);
  writer.Append(FrameType::kResult, message);
  text.clear();
}

void FrameDecoder::Feed(std::string_view bytes) {
  if (consumed_ > 0 && consumed_ == buffer_.size()) {
    buffer_.clear();
    consumed_ = 0;
  } else if (consumed_ > (1u << 16) && consumed_ * 2 > buffer_.size()) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  buffer_.append(bytes);
}

FrameDecoder::Status FrameDecoder::Next(Frame* frame) {
  if (corrupt_) return Status::kCorrupt;
  if (buffered() < kFrameHeaderBytes) return Status::kNeedMore;
  std::uint32_t type = 0;
  std::uint32_t length = 0;
  std::memcpy(&type, buffer_.data() + consumed_, 4);
  std::memcpy(&length, buffer_.data() + consumed_ + 4, 4);
  const bool known = type == static_cast<std::uint32_t>(FrameType::kReady) ||
                     type == static_cast<std::uint32_t>(FrameType::kResult) ||
                     type == static_cast<std::uint32_t>(FrameType::kResultPart);
  if (!known || length > kMaxFrameBody) {
    corrupt_ = true;
    return Status::kCorrupt;
  }
  if (buffered() < kFrameHeaderBytes + length) return Status::kNeedMore;
  frame->type = static_cast<FrameType>(type);
  frame->body = std::string_view(buffer_.data() + consumed_ + kFrameHeaderBytes, length);
  consumed_ += kFrameHeaderBytes + length;
  return Status::kFrame;
}

}  // namespace fibpool::ipc
