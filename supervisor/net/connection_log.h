// What the client connections of one event-loop thread (the pool's, or an
// I/O thread's: io_thread.h) log, each kind rate-limited on its own
// (throttled_log.h: at most one line a second, with `suppressed=N`, and the
// held-back count reported when a burst ends), and the access log:
//   connection_closed reason=idle | reason=line_too_long   debug
//   connection_refused reason=proxy_protocol               info
//   busy, bad_request (an ERR busy or ERR bad_request answer) info
// Every line names the client (the socket's peer, or the PROXY header's
// source).
//
// Threading: its executor's thread only (the connections it serves).
// Lifetime: as ThrottledLog's; outlives the connections that use it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "supervisor/log/throttled_log.h"
#include "supervisor/net/access_log.h"
#include "supervisor/protocol/answer_error.h"

namespace fibpool::supervisor {

class ConnectionLog {
 public:
  // `access_share`: the setting access_log (access_log.h).
  ConnectionLog(boost::asio::any_io_executor executor, double access_share);

  // The server closed `client`'s connection for idleness, or after a line
  // over max_line.
  void IdleClosed(std::string_view client) { Closed(idle_closed_, "idle", client); }
  void LineTooLong(std::string_view client) { Closed(line_too_long_, "line_too_long", client); }
  // `client` sent no valid PROXY protocol header.
  void ProxyRefused(std::string_view client, std::string_view why);
  // `client` got `ERR code detail`; logs busy and bad_request, not the others.
  void Error(AnswerError code, std::string_view client, std::string_view detail);

  AccessLog& access() { return access_; }
  // A write of `answers` to `client` is complete: the access log's lines.
  void Written(std::string_view client, const std::vector<AnswerQueue::Answer>& answers) {
    if (access_.on()) access_.Written(client, answers, std::chrono::steady_clock::now());
  }

 private:
  static void Closed(ThrottledLog& log, std::string_view reason, std::string_view client);

  ThrottledLog idle_closed_;
  ThrottledLog line_too_long_;
  ThrottledLog proxy_refused_;
  ThrottledLog busy_;
  ThrottledLog bad_request_;
  AccessLog access_;
};

}  // namespace fibpool::supervisor
