// A descriptor held in reserve so that a connection can still be answered
// when the process has run out of them (accept fails with EMFILE or
// ENFILE): close the spare, accept the connection, write it one line, close
// it, take the spare back (the technique of libev and nginx). Without it the
// connection would wait in the listen backlog, unanswered, for as long as
// the descriptors stay short.
//
// Owns its descriptor (/dev/null, read-only, close-on-exec). Not
// thread-safe: used on the thread that owns the listener. Never throws.
#pragma once

#include <string_view>

#include "os/unique_fd.h"

namespace fibpool::supervisor {

class SpareDescriptor {
 public:
  // Opens the spare; held() is false if even that fails.
  SpareDescriptor();

  bool held() const { return spare_.valid(); }

  enum class Refusal {
    kRefused,      // a connection was accepted, sent `line` (best effort), and closed
    kNonePending,  // no connection was waiting
    kNoSpare,      // no spare to give up, or accept failed even with it given up
  };
  // Accepts one connection waiting on `listener` (a non-blocking listening
  // socket), sends it `line` without blocking and closes it. The spare is
  // taken back afterwards; if another descriptor took its number meanwhile,
  // held() turns false until Reopen() succeeds.
  Refusal RefuseOne(int listener, std::string_view line);

  // Takes the spare back if it is not held; returns held().
  bool Reopen();

 private:
  os::UniqueFd spare_;
};

}  // namespace fibpool::supervisor
