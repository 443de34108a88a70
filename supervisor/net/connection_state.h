// The lifecycle of one client connection (connection.h) as an explicit
// state, and every transition between states. Pure: no I/O, no clock.
//
// The states are ordered by how much of the connection is left, and a
// connection only ever moves forward: an event that would move it back (EOF
// after the server started draining is still EOF; `quit` after EOF still
// ends the input; nothing reopens a connection) leaves the later state.
//
//   kOpen         reads and answers requests.
//   kDraining     the server drains (SIGTERM/SIGINT): still reads and answers
//                 (compute requests get ERR shutting_down from the executor);
//                 closes once nothing is pending.
//   kInputEnded   the client sent EOF: reads no more, still answers the
//                 lines already read; closes once they are all answered.
//   kInputStopped `quit`, a line over max_line or an HTTP request: reads no
//                 more and ignores what follows; closes once answered.
//   kLingering    every answer is written and FIN sent: the connection's
//                 slot is free; reads and discards until the client closes
//                 too or the linger time passes.
//   kClosed       the socket is closed; jobs still pending were abandoned.
#pragma once

#include <string_view>

namespace fibpool::supervisor {

enum class ConnectionState { kOpen, kDraining, kInputEnded, kInputStopped, kLingering, kClosed };

enum class ConnectionEvent {
  kDrain,       // the server drains
  kEndOfInput,  // EOF from the client
  kStopInput,   // quit, line_too_long or an HTTP request line
  kLinger,      // nothing more to send: FIN sent
  kClose,       // the socket is closed (error, linger over)
};

std::string_view ConnectionStateName(ConnectionState state);

// The state after `event`.
ConnectionState NextState(ConnectionState state, ConnectionEvent event);

// Reads requests from the socket (subject to flow control).
inline bool ReadsRequests(ConnectionState s) {
  return s == ConnectionState::kOpen || s == ConnectionState::kDraining;
}
// Takes requests from the lines already read.
inline bool ParsesLines(ConnectionState s) { return s <= ConnectionState::kInputEnded; }
// Goes on to kLingering as soon as nothing is pending or being written.
inline bool FinishesWhenAnswered(ConnectionState s) {
  return s >= ConnectionState::kDraining && s <= ConnectionState::kInputStopped;
}
// Still answers: has not sent FIN. Only such a connection holds a connection
// slot (Metrics::connections_open, which max_connections limits).
inline bool IsAnswering(ConnectionState s) { return s < ConnectionState::kLingering; }

}  // namespace fibpool::supervisor
