// A blocking TCP client of the line protocol for tests, every read bounded by
// a deadline. Owns its socket (closed on destruction). Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fibpool::testing {

class LineClient {
 public:
  // Connects to 127.0.0.1:port, from `source` (an IPv4 address: any 127.x
  // address is a distinct loopback client); throws std::runtime_error on
  // failure.
  explicit LineClient(std::uint16_t port, const std::string& source = "127.0.0.1");
  ~LineClient();
  LineClient(const LineClient&) = delete;
  LineClient& operator=(const LineClient&) = delete;

  // Sends all bytes (throws on failure).
  void Send(std::string_view bytes);
  // The next line without its LF; std::nullopt on EOF or when `timeout` passes.
  std::optional<std::string> ReadLine(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // What one recv() of at most `max` bytes returns (bytes already buffered by
  // ReadLine first), as a client that takes each read as one answer sees
  // it; std::nullopt on EOF or when `timeout` passes.
  std::optional<std::string> Recv(std::size_t max,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // TCP_NODELAY is on by default; off, the kernel's Nagle algorithm holds a
  // small write back while an earlier one is unacknowledged.
  void SetNoDelay(bool on);
  // Sends `line` + LF and reads one line of answer.
  std::optional<std::string> Ask(std::string_view line,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // True when the server closes the connection within `timeout` (unread data
  // before the EOF is discarded).
  bool WaitForClose(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  void ShutdownWrite();
  // Closes with RST instead of FIN.
  void Reset();
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  std::string buffer_;
  bool eof_ = false;
};

}  // namespace fibpool::testing
