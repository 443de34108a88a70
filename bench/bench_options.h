// What fibpool-bench runs and how long: the scenarios chosen, the servers
// measured, and each scenario's knobs, with their defaults (the command
// line's defaults are these). Plain data.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

namespace fibpool::bench {

struct BenchOptions {
  // Scenario ids or groups (bench/scenario_registry.h); empty: all.
  std::vector<std::string> scenarios;
  // A running fibpool to measure; empty: the bench starts one.
  std::optional<boost::asio::ip::tcp::endpoint> target;
  std::filesystem::path fibpool_path;     // fibpool executable
  std::filesystem::path baseline_path;    // fibpool-baseline executable
  std::filesystem::path minimal_path;     // fibpool-minimal executable
  unsigned workers = 2;                   // --workers for the fibpool the bench starts
  std::vector<std::string> fibpool_args;  // extra arguments for it
  std::chrono::milliseconds slice{1000};  // measured window of one load slice
  std::chrono::milliseconds warmup{200};  // before each slice's window
  unsigned rounds = 4;                    // slices per target per load scenario
  // The busy scenario's big job; it must outlast the window (about 2.7 s on the
  // 2-core reference machine: `44 recursive` takes 1 s there, too short).
  std::string busy_job = "46 recursive";
  std::chrono::milliseconds busy_window{1200};
  // Busy scenario: how long to wait for the stalled baseline after the window.
  std::chrono::milliseconds baseline_stall_cap{1000};
  unsigned big_runs = 2;  // runs per target of each big-result scenario
  // The timeline scenario's big job (one per worker) and how long it runs.
  std::string timeline_job = "44 recursive";
  std::chrono::milliseconds timeline_window{5'000};
  // The timeline scenario also measures the articles' Python servers
  // (bench/py_server.py: thread per connection, ProcessPoolExecutor) with
  // this interpreter, and the articles scenario runs the articles' clients
  // with it; empty: neither. The servers' big job takes about as long in
  // CPython as timeline_job in C++.
  std::string python;
  std::filesystem::path python_server;  // py_server.py
  std::string python_timeline_job = "34 recursive";
  // The articles scenario: perf2.py (in articles_dir, with perf1.py) runs
  // this long after its first count alone and beside perf1.py, and at most
  // this long while one busy_job runs (until it is answered).
  std::filesystem::path articles_dir;
  std::chrono::milliseconds articles_window{5'000};
  // The noisy-neighbour scenario: client A keeps `noisy_queued` of
  // `noisy_job` queued (on two connections) through four phases of
  // `noisy_phase` each: A alone; B asking the same job one at a time; B
  // asking tiny jobs one at a time, `noisy_tiny_pause` apart; A alone.
  std::string noisy_job = "10000000";
  unsigned noisy_queued = 20;
  std::chrono::milliseconds noisy_phase{4'000};
  std::chrono::milliseconds noisy_tiny_pause{5};
  // The admission scenario (admission_scenario.h): `admission_clients`
  // clients keep `admission_depth` x `admission_job` outstanding for
  // `admission_phase`, against fibpool with max_wait off, then set to
  // `admission_max_wait`.
  std::string admission_job = "10000000";
  unsigned admission_clients = 32;
  unsigned admission_depth = 1;
  std::chrono::milliseconds admission_phase{10'000};
  std::chrono::milliseconds admission_max_wait{1'000};
  // fibpool-baseline --threads of the per-core baseline (0: one per usable CPU).
  unsigned baseline_threads = 0;
  // "fibpool", "baseline", "per-core" or "minimal": run just that target (to profile it).
  std::string only;
  bool verbose = true;  // progress on stderr (fibpool-bench: only when it is a terminal)
};

}  // namespace fibpool::bench
