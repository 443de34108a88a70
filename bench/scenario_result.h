// What the scenarios measured, per target: plain data from ScenarioRunner to
// Report. A "target" is fibpool, the baseline server, or (for big results)
// the same computation done in the bench process.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/latency_samples.h"

namespace fibpool::bench {

struct Figures {
  std::string label;          // "fibpool", "baseline", "in-process"
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
};

struct ScenarioResult {
  enum class Measure { kRate, kP99, kSeconds };
  std::string id;
  std::string title;
  Measure measure = Measure::kRate;
  Figures fibpool;
  Figures baseline;
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
  std::vector<std::string> notes;
};

}  // namespace fibpool::bench
