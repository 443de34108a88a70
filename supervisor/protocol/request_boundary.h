// Where a request ends on a connection whose client never sends a newline
// (docs/protocol.md, "Requests without a newline"). Pure: no I/O, no clock.
//
// The classic fib benchmark clients send `30` or `1` and wait for the answer
// (the classic server took each read as one request). A line client, by
// contrast, may split a line over two writes (`3`, then `0\n`). The rule:
//   - A connection that has sent a newline is a line connection for good:
//     a request ends at a newline and nowhere else. So is one that, before
//     any answer, sent newline-less bytes in more than one read (a line typed
//     or dribbled a byte at a time): a newline-less client sends each request
//     in one write.
//   - A connection that has never sent a newline, whose bytes after the last
//     request form one complete request and whose socket has nothing more to
//     read, has that request answered after kFirstRequestPause with nothing
//     more arriving (the connection acknowledges the bytes at once, so a
//     client's Nagle algorithm releases the rest of a split line within the
//     pause).
//   - Once such a request was answered the connection reads one request per
//     read: every later newline-less read with nothing more to read behind it
//     is one request, answered at once (even a malformed one, with an ERR).
#pragma once

#include <chrono>
#include <string_view>

#include "supervisor/protocol/request_parser.h"

namespace fibpool::supervisor {

// How long the first newline-less request of a connection waits for more
// bytes before it counts as complete: above a loopback or LAN round trip.
inline constexpr std::chrono::milliseconds kFirstRequestPause{20};

class RequestBoundary {
 public:
  enum class Mode { kUndecided, kLine, kReadPerRequest };
  enum class Action {
    kWaitForMore,       // the bytes are not a request (yet)
    kAnswerAfterPause,  // a request if nothing more arrives within kFirstRequestPause
    kAnswerNow,         // a request
  };

  // Bytes just read from the client, behind `already_buffered` bytes of an
  // unfinished request read earlier.
  void Saw(std::string_view bytes, std::size_t already_buffered) {
    if (bytes.find('\n') != std::string_view::npos ||
        (mode_ == Mode::kUndecided && already_buffered > 0)) {
      mode_ = Mode::kLine;
    }
  }
  // What to do with the bytes after the last complete line, parsed as a
  // request (`rest`), once the socket has nothing more to read.
  Action Decide(const Request& rest) const;
  // A newline-less request was answered.
  void Answered() {
    if (mode_ == Mode::kUndecided) mode_ = Mode::kReadPerRequest;
  }
  Mode mode() const { return mode_; }

 private:
  Mode mode_ = Mode::kUndecided;
};

}  // namespace fibpool::supervisor
