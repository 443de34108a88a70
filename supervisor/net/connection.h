// One client connection: reads request lines, answers each exactly once and
// in request order, while the jobs behind them run in parallel. A client that
// never sends a newline is served one request per read (request_boundary.h).
// What each request gets is decided apart from the socket
// (request_handler.h); a PROXY protocol header, when the server expects
// one, was read before the connection was made (proxy_handshake.h), and
// named its client.
//
// Flow control: the connection stops reading (TCP pushes back on the client)
// while it has max_inflight unwritten answers, or while the answers it
// holds or expects (estimated from N before the job runs) reach
// max_output_bytes; it reads again as answers drain. A connection with one
// request in flight always may hold that answer, however large. A connection
// with nothing pending and no traffic for idle_timeout is closed, and so is
// one with nothing pending when another address's client takes its place
// at max_connections (client_connections.h). Its
// connection slot (Metrics::connections_open, which max_connections counts)
// is free as soon as the server has nothing more to send, before the client
// has closed its side. One write is in flight at a time; the answers ready
// at the front go out in it, up to kMaxAnswersPerWrite (a gather write,
// large results straight from their shared-memory mapping); answers that
// complete in the same event-loop turn are written together.
//
// State: the lifecycle is one ConnectionState (connection_state.h: open,
// draining, input ended or stopped, lingering, closed), changed only in
// Enter(); the flags beside it say which asynchronous operations are in
// flight, which is independent of the lifecycle.
//
// Lifetime: keeps itself alive through shared_from_this() while an operation
// is pending; its ConnectionManager holds it from Start until it closes. When
// the socket fails (the client reset it, a write failed), jobs it still
// waits for are abandoned in the pool; a client that only shuts down its
// sending side (EOF) still gets every answer.
// Single-threaded: runs on the io_context's thread.
//
// connection.cpp holds only the wiring of one socket's asynchronous reads,
// writes and timers; what they decide lives apart, with unit tests: where a
// request ends (line_buffer.h, request_boundary.h), the answer to each
// request (request_handler.h), the answers' order (answer_queue.h), the
// lifecycle (connection_state.h) and the counts by address
// (client_connections.h).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "supervisor/job_executor.h"
#include "supervisor/net/answer_queue.h"
#include "supervisor/net/client_connections.h"
#include "supervisor/net/connection_env.h"
#include "supervisor/net/connection_state.h"
#include "supervisor/net/request_handler.h"
#include "supervisor/protocol/line_buffer.h"
#include "supervisor/protocol/request_boundary.h"

namespace fibpool::supervisor {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `client`: its place in the counts by address (client_connections.h),
  // released with its slot; idle while it has nothing pending. `flow`: the
  // client's name (FlowKeyOf its address). `first_bytes`: requests read
  // with the PROXY header, served before anything else.
  Connection(boost::asio::ip::tcp::socket socket, const ConnectionEnv& env, ClientSlot client,
             std::string flow, std::string first_bytes = {});

  // Called by the ConnectionManager, which has counted the connection.
  void Start();
  // The server is draining: requests read from now on get ERR shutting_down
  // (commands are still answered); once nothing is pending the connection
  // closes.
  void Drain();

 private:
  // The lifecycle's one transition point (connection_state.h); frees the
  // slot when the connection stops answering.
  void Enter(ConnectionEvent event);
  void Read();
  bool MayTakeMore() const;
  void ArmIdleTimer();
  void OnRead(const boost::system::error_code& ec, std::size_t n);
  // Bytes read from the client.
  void Take(std::string_view bytes);
  void ProcessLines();
  // The bytes after the last line when the socket has nothing more to read:
  // a request, now or after a pause, or not yet (request_boundary.h).
  void EndUnterminated();
  void AnswerUnterminated();
  void ArmPause();
  void CancelPause();
  // Answers `line` (request_handler.h).
  void Handle(std::string_view line);
  // Takes no more requests after the answers already queued.
  void StopParsing();
  // Closes, as an idle one, unless it has a request or an answer pending:
  // another address's client takes its place (client_connections.h).
  void CloseIfIdle();
  void Complete(std::uint64_t seq, JobResult&& result);
  // The `stats` line for place `seq`, from the thread that owns the figures.
  void AnswerStats(std::uint64_t seq, std::string line);
  void AskStats(std::uint64_t seq);
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
  void Close();

  boost::asio::ip::tcp::socket socket_;
  const ConnectionEnv& env_;
  ClientSlot client_;
  std::string first_bytes_;  // read with the PROXY header, taken at Start
  LineBuffer lines_;
  std::array<char, 16 * 1024> read_buffer_;
  AnswerQueue answers_;
  // Its client (the socket's peer, or the PROXY header's source) is
  // handler_.flow(): its jobs' share of the workers, and the `client` of
  // its log lines.
  RequestHandler handler_;
  RequestBoundary boundary_;
  boost::asio::steady_timer idle_timer_;
  boost::asio::steady_timer pause_timer_;  // kFirstRequestPause
  std::uint64_t pause_generation_ = 0;     // a stale pause's handler does nothing
  std::chrono::steady_clock::time_point last_activity_;
  ConnectionState state_ = ConnectionState::kOpen;
  // Operations in flight, independent of state_: a pending read brings
  // requests (kOpen, kDraining) or bytes to discard (kLingering); a write
  // may be in flight in every state before kLingering. Each completion
  // handler clears its flag.
  bool read_in_flight_ = false;
  bool write_in_flight_ = false;
  bool write_posted_ = false;  // WriteSoon()'s Write() waits for the end of the turn
  bool pause_armed_ = false;   // pause_timer_ waits
};

}  // namespace fibpool::supervisor
