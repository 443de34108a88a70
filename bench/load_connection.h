// One client connection of a load run: keeps its group's depth of requests
// outstanding, checks every answer against the expected digits as the bytes
// arrive (ResponseMatcher), and records latency (send to last byte of the
// answer) and counts into its group's GroupResult.
//
// A group with a pause waits that long after each answer before sending
// again (a steady_timer); a group with a stop time sends nothing after it. A
// group that honours retry_after waits the S of each `ERR busy retry_after=S`
// the same way, then retries (retry_after.h).
//
// Writes go out directly with a non-blocking send (request lines are short;
// the async path is only taken if the socket buffer is full), so a closed-loop
// round trip costs the client one send, one epoll wake-up and one recv.
//
// Lifetime: owned by LoadRun, which keeps it until the io_context has run
// out of handlers; handlers capture `this`. Single-threaded: runs on the
// io_context's thread. Failures (connection reset, unexpected bytes) are
// recorded in the GroupResult, never thrown.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "bench/load_spec.h"
#include "bench/response_matcher.h"

namespace fibpool::bench {

class LoadConnection {
 public:
  // `spec`, `result` and `clock` must outlive the connection. `on_done` runs
  // once, when the connection has nothing more to send or wait for.
  LoadConnection(boost::asio::io_context& io, const GroupSpec& spec, unsigned index,
                 GroupResult* result, const RunClock* clock, std::function<void()> on_done);
  LoadConnection(const LoadConnection&) = delete;
  LoadConnection& operator=(const LoadConnection&) = delete;

  // Blocking connect (loopback: the kernel completes it even while the
  // server's loop is stalled), from the group's source address if it names one.
  boost::system::error_code Connect(const boost::asio::ip::tcp::endpoint& target);
  void Start();
  // The window closed: send nothing more; done once the outstanding answers are in.
  void StopSending();
  // The wait is over: what is outstanding is unanswered (censored at `now_ns`).
  void Abort(std::int64_t now_ns, const std::string& why);
  // Closes the socket; pending handlers complete with operation_aborted.
  void Close();
  bool done() const { return done_; }

 private:
  struct Pending {
    std::int64_t sent_ns;
    const RequestLine* request;
    bool retry;  // the first request sent after waiting a refusal's S
  };
  bool CanSend() const;
  // Inside the pause after an answer (GroupSpec::pause): arms the timer that
  // resumes sending, and returns true.
  bool Pausing();
  // Whether a request sent at `sent_ns` counts in the latency samples.
  bool InWindow(std::int64_t sent_ns) const;
  void Fill();
  void Read();
  void OnData(std::size_t n);
  void Record(const Pending& p, std::int64_t now_ns, bool correct);
  // An answer that did not match: a refusal the group honours (true, counted
  // and waited for), or not (false).
  bool RecordRefusal(const Pending& p, std::int64_t now_ns);
  void Fail(const std::string& why);
  void MaybeDone();

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer pause_timer_;
  const GroupSpec& spec_;
  GroupResult* result_;
  const RunClock* clock_;
  std::function<void()> on_done_;
  std::size_t next_request_;
  std::uint64_t sent_ = 0;
  std::int64_t resume_ns_ = 0;  // end of the pause after the last answer or refusal
  bool retry_next_ = false;     // the next request sent is a refused one's retry
  std::deque<Pending> pending_;
  ResponseMatcher matcher_;
  std::string out_;
  std::vector<char> in_;
  bool started_ = false;
  bool stopped_ = false;
  bool writing_ = false;
  bool pause_armed_ = false;
  bool done_ = false;
  bool closed_ = false;
};

}  // namespace fibpool::bench
