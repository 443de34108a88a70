// What the scenarios measured, per target: plain data from Scenario::Run
// (bench/scenario.h) to Report. A "target" is fibpool, the baseline server
// (one event loop), the per-core baseline (one event loop per CPU; load
// scenarios only), the minimal reference (fibpool-minimal: an epoll loop per
// CPU, no Asio; load scenarios and the articles scenario), or (for big
// results) the same computation done in the bench process.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bench/estimate_error.h"
#include "bench/latency_samples.h"

namespace fibpool::bench {

struct Figures {
  std::string label;          // "fibpool", "baseline", "per-core", "minimal", "in-process"
  double window_seconds = 0;  // measured windows, summed over the slices
  std::uint64_t sent = 0;
  std::uint64_t answered = 0;            // checked answers, warm-up included
  std::uint64_t answered_in_window = 0;  // for requests/s
  std::uint64_t wrong = 0;
  std::uint64_t unanswered = 0;
  LatencySamples latency;         // requests sent inside the windows
  std::vector<double> per_slice;  // requests/s of each slice, or seconds of each big run
  // Answers per timeline_bucket_ms from the start of the run (timeline scenario).
  std::vector<std::uint64_t> timeline;
  double timeline_bucket_ms = 0;
  double client_cpu_seconds = 0;   // the bench's thread, whole runs
  double server_cpu_seconds = 0;   // the server process (supervisor or baseline), whole runs
  double worker_cpu_seconds = 0;   // its child processes (fibpool's workers), whole runs
  double server_wait_seconds = 0;  // runnable but waiting for a CPU (server, workers)
  double worker_wait_seconds = 0;
  std::uint64_t server_wakeups = 0;  // times scheduled in (server, workers)
  std::uint64_t worker_wakeups = 0;
  bool cpu_known = false;  // false for a --target the bench did not start
  std::string first_error;

  double rate() const {
    return window_seconds > 0 ? static_cast<double>(answered_in_window) / window_seconds : 0;
  }
  // The mean latency in seconds (big results are judged by it).
  double mean_seconds() const { return latency.Summarize().mean_us / 1e6; }
  // Whether this target was measured at all (not left out by --only or by
  // the scenario).
  bool measured() const { return sent > 0 || !first_error.empty(); }
};

// The noisy-neighbour scenario, per target: client A keeps a backlog of big
// jobs; client B, from another address, asks big jobs one at a time, then
// tiny ones one at a time. B's tiny jobs are the scenario's main Figures and
// A's jobs its background; the rest is here. Rates are big-job answers per
// second in each phase (completion_rate.h).
struct NeighbourFigures {
  Figures b_big;  // B's big jobs, one at a time, behind A's backlog
  // B's big job with no backlog, two at once (as behind A, where one of A's
  // jobs runs beside it) and alone. Two at once is measured only on a target
  // that runs two jobs at once.
  Figures service;
  Figures service_alone;
  double a_alone_rate = 0;       // A, phases without B (the first and the last)
  double a_with_big_rate = 0;    // A, while B asks big jobs
  double b_big_rate = 0;         // B, the same phase
  double a_with_tiny_rate = 0;   // A, while B asks tiny jobs
  double b_tiny_phase_rate = 0;  // B's big jobs in that phase (its last one finishing)
  unsigned workers = 0;          // jobs the target runs at once
  bool ran = false;

  // The service time B's latency is judged against: two at once if measured.
  const Figures& service_basis() const { return service.answered > 0 ? service : service_alone; }
  // The mean time a job held a worker while B asked big jobs (A's backlog
  // kept every worker busy): workers / answers per second. The service time
  // of that phase itself, where the host's load may have moved since B's
  // service time was measured; 0 if nothing was answered.
  double phase_service_seconds() const {
    const double rate = a_with_big_rate + b_big_rate;
    return rate > 0 ? workers / rate : 0;
  }
  // Big-job answers per second, A's and B's, while B is present (both B phases).
  double shared_rate() const {
    return (a_with_big_rate + b_big_rate + a_with_tiny_rate + b_tiny_phase_rate) / 2;
  }
};

// One phase of the admission scenario: the same overload against a fibpool
// started with max_wait_ms (0: off), by clients that honour `ERR busy
// retry_after=S` (GroupSpec::honour_retry_after).
struct AdmissionPhase {
  unsigned max_wait_ms = 0;
  std::string command;  // the fibpool it ran against
  // Requests answered with a result; latency: the wait of each (send to the
  // last byte of its answer), every request of the phase.
  Figures accepted;
  std::uint64_t refused = 0;            // answered `ERR busy retry_after=S`
  std::vector<unsigned> retry_after_s;  // each refusal's S
  LatencySamples refusal_latency;       // send to refusal
  std::uint64_t retries = 0;            // first request after each wait of S
  std::uint64_t retries_accepted = 0;
  // Per S, the waits of the jobs accepted next after a refusal naming it
  // (retry_after.h, WaitAfterRefusal): what S can be compared with.
  std::map<unsigned, LatencySamples> wait_after_refusal;
  // That fibpool's cost model error at the end of the phase (its `stats`).
  std::vector<EstimateError> estimate_errors;
  bool ran = false;
};

// One phase of the articles scenario: bench/articles/perf2.py run as
// published against one target, its per-second counts (perf2_counts.h).
struct Perf2Phase {
  std::vector<std::uint64_t> counts;  // as perf2 printed them, the first included
  std::optional<double> median;       // MedianAfterFirst(counts)
  std::string error;                  // what failed (perf2 or perf1 exited, no count in time)
};

// The articles scenario against one target (fibpool, or the minimal
// reference): perf2 alone, while one big job runs (sent after perf2's first
// count, on its own connection) and while perf1.py sends `30` in a loop.
struct ArticlesFigures {
  enum class BigAnswer { kNotSent, kRight, kWrong, kNotAwaited };
  std::string label;
  Perf2Phase alone;
  Perf2Phase during_big_job;  // counts until the big job's answer arrived
  Perf2Phase beside_perf1;
  std::string big_job;  // the request, "46 recursive"
  BigAnswer big_answer = BigAnswer::kNotSent;
  std::string big_error;   // a wrong answer, or why it was not sent or awaited
  double big_seconds = 0;  // the big job, sent to answered (or to the end of the wait)
  bool ran = false;

  // perf2's median in `phase` over its median alone; nullopt without both.
  std::optional<double> OverAlone(const Perf2Phase& phase) const {
    if (!phase.median || !alone.median || *alone.median <= 0) return std::nullopt;
    return *phase.median / *alone.median;
  }
};

struct ScenarioResult {
  enum class Measure { kRate, kP99, kSeconds, kAdmission, kPerf2 };
  std::string id;
  std::string title;
  Measure measure = Measure::kRate;
  Figures fibpool;
  Figures baseline;
  // The per-core baseline; measured in the load scenarios only (sent == 0
  // and no first_error elsewhere).
  Figures per_core;
  // The minimal reference (fibpool-minimal); load scenarios only, like per_core.
  Figures minimal;
  // The busy scenario's big jobs, whose answers are checked too.
  bool has_background = false;
  Figures fibpool_background;
  Figures baseline_background;
  // Further servers measured the same way (the timeline scenario's Python
  // servers), each with its big jobs.
  struct Other {
    Figures main;
    Figures background;
  };
  std::vector<Other> others;
  // The baseline computes the big jobs inline and is meant to stall: its
  // unanswered requests are not problems (busy, noisy).
  bool baseline_stalls = false;
  // Whether the main rows' requests/s means something (not when they ran in
  // one phase of several: the noisy scenario's B tiny jobs).
  bool main_rate = true;
  // What the main and background rows are called in the report.
  std::string main_role = "tiny";
  std::string background_role = "big jobs";
  NeighbourFigures fibpool_neighbour;
  NeighbourFigures baseline_neighbour;
  // The admission scenario's phases: max_wait off, then on. fibpool only:
  // the baselines have no admission.
  std::vector<AdmissionPhase> admission;
  // The articles scenario (Measure::kPerf2): fibpool's and the minimal
  // reference's; the Figures above stay unmeasured.
  ArticlesFigures fibpool_articles;
  ArticlesFigures minimal_articles;
  std::vector<std::string> notes;
};

}  // namespace fibpool::bench
