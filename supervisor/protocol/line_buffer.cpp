#include "supervisor/protocol/line_buffer.h"

namespace fibpool::supervisor {

void LineBuffer::Append(std::string_view bytes) {
  if (consumed_ > 0) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  buffer_.append(bytes);
}

LineBuffer::Status LineBuffer::Next(std::string_view* line) {
  if (too_long_) return Status::kTooLong;
  const std::string_view rest = std::string_view(buffer_).substr(consumed_);
  const std::size_t lf = rest.find('\n');
  // A CR before the LF does not count towards the limit.
  const auto content_length = [](std::string_view s) {
    return s.ends_with('\r') ? s.size() - 1 : s.size();
  };
  if (lf == std::string_view::npos) {
    if (content_length(rest) > max_line_) too_long_ = true;
    return too_long_ ? Status::kTooLong : Status::kNeedMore;
  }
  *line = rest.substr(0, lf);
  if (content_length(*line) > max_line_) {
    too_long_ = true;
    return Status::kTooLong;
  }
  consumed_ += lf + 1;
  return Status::kLine;
}

}  // namespace fibpool::supervisor
