#include "supervisor/net/connection_state.h"

#include <algorithm>

namespace fibpool::supervisor {

namespace {

// The state an event leads to from any earlier state.
ConnectionState Target(ConnectionEvent event) {
  switch (event) {
    case ConnectionEvent::kDrain:
      return ConnectionState::kDraining;
    case ConnectionEvent::kEndOfInput:
      return ConnectionState::kInputEnded;
    case ConnectionEvent::kStopInput:
      return ConnectionState::kInputStopped;
    case ConnectionEvent::kLinger:
      return ConnectionState::kLingering;
    case ConnectionEvent::kClose:
      return ConnectionState::kClosed;
  }
  return ConnectionState::kClosed;
}

}  // namespace

std::string_view ConnectionStateName(ConnectionState state) {
  switch (state) {
    case ConnectionState::kOpen:
      return "open";
    case ConnectionState::kDraining:
      return "draining";
    case ConnectionState::kInputEnded:
      return "input_ended";
    case ConnectionState::kInputStopped:
      return "input_stopped";
    case ConnectionState::kLingering:
      return "lingering";
    case ConnectionState::kClosed:
      return "closed";
  }
  return "unknown";
}

ConnectionState NextState(ConnectionState state, ConnectionEvent event) {
  return std::max(state, Target(event));
}

}  // namespace fibpool::supervisor
