// Turns the scenarios' results into the benchmark's report: a Markdown
// summary (one row per scenario: fibpool, the single-loop baseline, the
// per-core baseline, the minimal reference, fibpool's ratio to each), a detail table of latency
// percentiles and CPU cost per answer, the articles', noisy-neighbour and
// admission tables (report_sections.h), fibpool's cost model error (estimate_error.h),
// and the performance targets (report_targets.h), each marked met or missed
// with the figure measured; or the same as JSON, made with Boost.JSON. The
// tables are report_table.h's rows, rendered to both. Pure formatting: no
// I/O, never throws except std::bad_alloc.
#pragma once

#include <string>
#include <vector>

#include "bench/estimate_error.h"
#include "bench/scenario_result.h"

namespace fibpool::bench {

struct ReportContext {
  std::string command;                  // how the bench was run
  std::string fibpool;                  // the fibpool measured
  std::string baseline;                 // the baseline server (one event loop)
  std::string per_core;                 // the per-core baseline (one event loop per CPU)
  std::string minimal;                  // the minimal reference (fibpool-minimal)
  std::vector<std::string> conditions;  // machine, load, time
  unsigned workers = 0;
  // fibpool's cost model error at the end of the run (empty: not known).
  std::vector<EstimateError> estimate_errors;
};

class Report {
 public:
  Report(std::vector<ScenarioResult> results, ReportContext context);

  std::string Markdown() const;
  std::string Json() const;
  // Wrong answers, failed or unanswered requests outside the baseline's
  // deliberate stall: reasons not to trust the figures.
  std::vector<std::string> Problems() const;

 private:
  const ScenarioResult* Find(const std::string& id) const;

  std::vector<ScenarioResult> results_;
  ReportContext context_;
};

}  // namespace fibpool::bench
