// What one load run does (RunSpec: groups of connections against one target,
// a warm-up, a measured window, a cap on the wait for the last answers) and
// what it measured (RunResult). Plain data, shared by LoadRun and
// LoadConnection.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "bench/latency_samples.h"
#include "bench/request_set.h"
#include "bench/retry_after.h"

namespace fibpool::bench {

// Connections that behave alike. Each keeps `depth` requests outstanding
// (1: closed loop; more: pipelining), cycling through `requests` (connection
// i starts at request i, so connections do not move in lockstep).
struct GroupSpec {
  std::string name;
  unsigned connections = 1;
  unsigned depth = 1;
  std::vector<RequestLine> requests;
  // 0: send until the measured window closes; otherwise this many per connection.
  std::uint64_t max_requests_per_connection = 0;
  // The group starts sending this long after the run starts.
  std::chrono::nanoseconds start_delay{0};
  // Record the latency of every request, not only of those sent inside the
  // window (background jobs sent before it; count-bounded runs).
  bool record_all_latency = false;
  // > 0: count the answers received in each interval this long, from the
  // start of the run (GroupResult::timeline).
  std::chrono::nanoseconds timeline_bucket{0};
  // The address the connections are made from (bound before connect, so that
  // the server sees them as that client: any 127.x address is a distinct
  // loopback client); unspecified: the kernel's choice.
  boost::asio::ip::address source;
  // > 0: the group sends nothing more this long after the run starts (its
  // outstanding requests are still answered and counted).
  std::chrono::nanoseconds stop_after{0};
  // > 0: after each answer, wait this long before sending again (with depth
  // 1: one request at a time, with a pause between them).
  std::chrono::nanoseconds pause{0};
  // Record when each answer arrived (GroupResult::answer_ns).
  bool record_answer_times = false;
  // Behave as a client that honours fibpool's admission refusal: an answer
  // `ERR busy retry_after=S` is counted refused (not wrong), the connection
  // sends nothing for S seconds, and the next request it sends is its retry
  // (GroupResult::retries).
  bool honour_retry_after = false;
};

struct RunSpec {
  boost::asio::ip::tcp::endpoint target;
  std::vector<GroupSpec> groups;
  std::chrono::nanoseconds warmup{0};                        // sent and checked, not measured
  std::chrono::nanoseconds window{std::chrono::seconds(1)};  // measured; no sending after it
  // After the window, wait at most this long for the outstanding answers;
  // what is still missing then is counted unanswered (censored latency).
  std::chrono::nanoseconds drain_cap{std::chrono::seconds(5)};
};

struct GroupResult {
  std::uint64_t sent = 0;
  std::uint64_t answered = 0;            // answers received and checked, warm-up included
  std::uint64_t answered_in_window = 0;  // received inside the measured window
  std::uint64_t wrong = 0;               // answers that were not the expected digits
  std::uint64_t unanswered = 0;          // outstanding when the wait ended or the connection failed
  LatencySamples latency;                // requests sent inside the window
  std::vector<std::uint64_t> timeline;   // answers per GroupSpec::timeline_bucket, from the start
  // When each answer arrived, ns from the start of the run, in the order
  // received (GroupSpec::record_answer_times).
  std::vector<std::int64_t> answer_ns;
  // GroupSpec::honour_retry_after: requests refused with `ERR busy
  // retry_after=S` (not counted in `answered`), each one's arrival and S in
  // the order received, and each one's latency (send to refusal; every
  // refusal, window or not); every job answered with a result, with its
  // wait. Retries: the first request sent after each wait of S; accepted: of
  // those, the ones answered with a result.
  std::uint64_t refused = 0;
  std::vector<RefusalSeen> refusals_seen;
  std::vector<AcceptedJob> accepted_jobs;
  LatencySamples refusal_latency;
  std::uint64_t retries = 0;
  std::uint64_t retries_accepted = 0;
  std::string first_error;  // the first wrong answer or failure, for the report
};

struct RunResult {
  std::vector<GroupResult> groups;  // as in RunSpec::groups
  double window_seconds = 0;        // measured window as run (shorter if all finished early)
  double run_seconds = 0;           // start to the last answer or the end of the wait
  double client_cpu_seconds = 0;    // the bench's own CPU time during the run
  std::string failure;              // could not connect, for example; empty if the run ran
};

// Shared by the connections of one run; written only by LoadRun.
struct RunClock {
  std::int64_t start_ns = 0;
  std::int64_t window_start_ns = 0;
  std::int64_t window_end_ns = 0;
  bool sending_stopped = false;
};

}  // namespace fibpool::bench
