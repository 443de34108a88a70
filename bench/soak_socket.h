// One blocking TCP client connection of the soak, every wait bounded by a
// deadline (a NowNanos() timestamp, bench/clock.h): connect, send, read a
// line, read whatever has arrived, wait for the server's close, and close
// with a reset (SO_LINGER 0) instead of an orderly FIN.
//
// Owns its descriptor (O_CLOEXEC, closed by the destructor); move-only. Not
// thread-safe: one thread uses a connection. Failure is a value: every call
// says whether it got what it waited for (kTimeout at the deadline, kClosed
// on EOF or a reset, kError for anything else); nothing throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/ip/tcp.hpp>

#include "os/unique_fd.h"

namespace fibpool::bench {

enum class IoStatus { kOk, kTimeout, kClosed, kError };

class SoakSocket {
 public:
  // The most one read takes from the kernel.
  static constexpr std::size_t kReadChunk = 64 * 1024;

  // A loopback connection is made at once or refused: no deadline needed.
  IoStatus Connect(const boost::asio::ip::tcp::endpoint& endpoint);
  bool connected() const { return fd_.valid(); }

  IoStatus Send(std::string_view bytes, std::int64_t deadline_ns);
  // The next line, without its LF, into *line; at most `max_bytes` are kept
  // (the rest of a longer line is read and dropped).
  IoStatus ReadLine(std::string* line, std::int64_t deadline_ns, std::size_t max_bytes = 1 << 16);
  // Up to `size` bytes (buffered ones first) into `out`, as soon as at least
  // one is there; *got is how many. Reads no more than `size` from the
  // socket: a slow reader with a small `size` leaves the rest in the kernel.
  IoStatus ReadSome(char* out, std::size_t size, std::size_t* got, std::int64_t deadline_ns);
  // Waits for the server to close the connection (EOF, after reading and
  // dropping anything before it). kOk when it closed.
  IoStatus WaitClosed(std::int64_t deadline_ns);

  // Orderly close (FIN).
  void Close();
  // Abortive close: SO_LINGER {1, 0}, so the kernel sends a reset.
  void Reset();

 private:
  // Reads at most `max` bytes into buffer_ (at least one, or a status).
  IoStatus Fill(std::int64_t deadline_ns, std::size_t max = kReadChunk);

  os::UniqueFd fd_;
  std::string buffer_;  // bytes read and not yet returned
};

}  // namespace fibpool::bench
