// Splits a connection's byte stream into request lines (docs/protocol.md,
// "Transport"). Pure: no I/O. A line longer than max_line is reported, not
// buffered: a caller that takes every line (Next() until kNeedMore) before it
// appends more holds at most max_line + CR + one append's worth of bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fibpool::supervisor {

class LineBuffer {
 public:
  enum class Status { kLine, kNeedMore, kTooLong };

  explicit LineBuffer(std::size_t max_line) : max_line_(max_line) {}

  void Append(std::string_view bytes);
  // kLine: *line is the next line without its LF (valid until the next
  // Append). kTooLong: a line exceeds max_line bytes (not counting CR LF);
  // final, the stream cannot be trusted to resynchronise.
  Status Next(std::string_view* line);
  std::size_t buffered() const { return buffer_.size() - consumed_; }
  // The bytes after the last line Next() returned (valid until the next
  // Append), and dropping them: a request that ends without a newline
  // (request_boundary.h). Only meaningful once Next() returned kNeedMore.
  std::string_view Unterminated() const { return std::string_view(buffer_).substr(consumed_); }
  void SkipUnterminated() { consumed_ = buffer_.size(); }

 private:
  std::size_t max_line_;
  std::string buffer_;
  std::size_t consumed_ = 0;
  bool too_long_ = false;
};

}  // namespace fibpool::supervisor
