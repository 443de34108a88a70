// The soak's report: a Markdown text (the answers per kind of client, the
// drift checks, the series every tenth of the run, the verdict) and JSON
// (the same, with the whole per-second series, for bench/plot.py). Pure.
#pragma once

#include <string>
#include <vector>

#include "bench/soak_scenario.h"

namespace fibpool::bench {

struct SoakReportContext {
  std::string command;                  // the bench's command line
  std::vector<std::string> conditions;  // when, where, the load average
  unsigned duration_s = 0;
};

std::string SoakMarkdown(const SoakResult& r, const SoakReportContext& context);
std::string SoakJson(const SoakResult& r, const SoakReportContext& context);

}  // namespace fibpool::bench
