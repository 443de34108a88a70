// The bytes of one answer on their way to the client: a line of text and,
// for a large result, its digits in a /dev/shm result buffer with their share
// of the ResultBudget (result_lease.h). The pool's JobResult carries one from
// the worker's pipe to the connection, whose answer queue holds it until the
// write is done; nothing is copied on the way.
//
// Ownership: move-only; it owns the buffer's mapping and the lease. Order of
// release: the mapping is gone before the lease gives its room back, both on
// destruction (`buffer` is declared after `lease`, and members are destroyed
// in reverse order) and on move assignment (written out below): room
// released while the digits are still mapped could be granted to another
// result, which would then not fit in /dev/shm. Never throws.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "os/shared_segment.h"
#include "supervisor/sched/result_lease.h"

namespace fibpool::supervisor {

struct AnswerPayload {
  // A result's digits (inline), an error's detail, or a whole answer line
  // (in an answer queue, LF included, after `buffer`'s digits if any).
  std::string text;
  ResultLease lease{};
  os::SharedSegment buffer{};  // the digits, when they came in a result buffer
  std::uint64_t buffer_length = 0;

  AnswerPayload() = default;
  explicit AnswerPayload(std::string line) : text(std::move(line)) {}
  AnswerPayload(AnswerPayload&&) noexcept = default;
  AnswerPayload& operator=(AnswerPayload&& other) noexcept {
    text = std::move(other.text);
    buffer = std::move(other.buffer);  // the old mapping first,
    buffer_length = std::exchange(other.buffer_length, 0);
    lease = std::move(other.lease);  // then the old room
    return *this;
  }
  AnswerPayload(const AnswerPayload&) = delete;
  AnswerPayload& operator=(const AnswerPayload&) = delete;

  // Bytes it puts on the wire.
  std::uint64_t size() const { return text.size() + buffer_length; }
};

}  // namespace fibpool::supervisor
