// One client connection: reads request lines, answers each exactly once and
// in request order, while the jobs behind them run in parallel. A client that
// never sends a newline is served one request per read (request_boundary.h).
//
// Flow control: the connection stops reading (TCP pushes back on the client)
// while it has max_inflight unanswered requests, or while the answers it
// holds or expects (estimated from N before the job runs) exceed
// max_output_bytes; it reads again as answers drain. A connection with one
// request in flight always may hold that answer, however large. A connection
// with nothing pending and no traffic for idle_timeout is closed. Its
// connection slot (Metrics::connections_open, which max_connections counts)
// is free as soon as the server has nothing more to send, before the client
// has closed its side. One write is in flight at a time;
// every answer that is ready at the front goes out in it (a gather write, large results straight
// from their shared-memory mapping); answers that complete in the same
// event-loop turn are written together.
//
// Lifetime: keeps itself alive through shared_from_this() while an operation
// is pending; the server holds it in its registry until on_closed. When the
// client goes away, jobs it still waits for are abandoned in the pool.
// Single-threaded: runs on the io_context's thread.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "ipc/shared_segment.h"
#include "supervisor/flow_key.h"
#include "supervisor/job_executor.h"
#include "supervisor/line_buffer.h"
#include "supervisor/metrics.h"
#include "supervisor/rate_limited_log.h"
#include "supervisor/request_boundary.h"
#include "supervisor/request_parser.h"

namespace fibpool::supervisor {

class Connection;

// What a connection needs from the server. Outlives every connection.
struct ConnectionEnv {
  ParserLimits limits;
  std::size_t max_line = 1024;
  std::size_t max_inflight = 1024;
  std::uint64_t max_output_bytes = 64u << 20;
  std::chrono::milliseconds idle_timeout{300'000};
  JobExecutor* executor = nullptr;
  Metrics* metrics = nullptr;
  int metrics_port = -1;  // named to a client that sends HTTP here; -1: no metrics server
  std::function<std::string()> stats;           // the `stats` line, without LF
  RateLimitedLog* idle_close_log = nullptr;     // debug lines about idle closes
  RateLimitedLog* line_too_long_log = nullptr;  // debug lines about line_too_long closes
  std::function<void(const std::shared_ptr<Connection>&)> on_closed;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::ip::tcp::socket socket, const ConnectionEnv& env);

  void Start();
  // The server is draining: requests read from now on get ERR shutting_down
  // (commands are still answered); once nothing is pending the connection
  // closes.
  void Drain();

 private:
  struct Response {
    bool ready = false;
    std::uint64_t job_id = 0;  // while a job computes it
    std::string text;          // the whole line, LF included, unless `buffer` holds the digits
    ipc::SharedSegment buffer;
    std::uint64_t buffer_length = 0;
    std::uint64_t held_bytes = 0;  // counted in held_bytes_: estimate, then actual size
  };

  void Read();
  bool MayTakeMore() const;
  void ArmIdleTimer();
  void OnRead(std::size_t n);
  void ProcessLines();
  // The bytes after the last line when the socket has nothing more to read:
  // a request, now or after a pause, or not yet (request_boundary.h).
  void EndUnterminated();
  void AnswerUnterminated();
  void ArmPause();
  void CancelPause();
  void Handle(std::string_view line);
  // Takes no more requests after the answers already queued.
  void StopParsing();
  void PushReady(std::string text);
  void Complete(std::uint64_t seq, JobResult&& result);
  // Writes the answers ready at the front, unless a write is in flight.
  void Write();
  // Write() once the current event-loop turn is over: answers completed in
  // the same turn (one read of a worker's pipe brings many) share one write.
  void WriteSoon();
  void MaybeFinish();
  // Sends FIN after the last answer, then reads and discards until the
  // client closes too (or kLinger passes), so that our close never turns
  // into a reset that could destroy answers the client has not read yet.
  void CloseGracefully();
  // Frees the connection's slot (connections_open), once.
  void ReleaseSlot();
  void Close();

  boost::asio::ip::tcp::socket socket_;
  const std::string flow_;  // FlowKeyOf the client: its jobs' share of the workers
  const ConnectionEnv& env_;
  LineBuffer lines_;
  std::array<char, 16 * 1024> read_buffer_;
  std::deque<Response> responses_;  // unanswered or unwritten, in request order
  std::uint64_t first_seq_ = 0;     // sequence number of responses_.front()
  std::vector<Response> writing_;   // the answers in the write in flight
  RequestBoundary boundary_;
  boost::asio::steady_timer idle_timer_;
  boost::asio::steady_timer pause_timer_;  // kFirstRequestPause
  std::uint64_t pause_generation_ = 0;     // a stale pause's handler does nothing
  bool pause_armed_ = false;
  std::chrono::steady_clock::time_point last_activity_;
  std::uint64_t held_bytes_ = 0;  // answers held or expected, in bytes
  bool reading_ = false;
  bool writing_now_ = false;
  bool write_posted_ = false;
  bool read_closed_ = false;   // EOF, quit, line_too_long or drain: read no more
  bool parse_closed_ = false;  // quit or line_too_long: ignore what follows
  bool closed_ = false;
  bool draining_ = false;
  bool lingering_ = false;  // FIN sent; waiting for the client's
  bool slot_released_ = false;
};

}  // namespace fibpool::supervisor
