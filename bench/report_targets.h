// fibpool's performance targets, as one table: each target is what is
// measured, a comparison and a threshold, and its goal text ("tiny jobs on 8
// connections >= 0.6x baseline") is made from them, so the threshold is
// written once. CheckTargets judges each against the scenarios' results:
// met, missed, or not run (its scenario or baseline was not measured). Pure;
// throws only std::bad_alloc.
#pragma once

#include <string>
#include <vector>

#include "bench/report_table.h"
#include "bench/scenario_result.h"

namespace fibpool::bench {

struct PerformanceTarget {
  enum class Comparison { kAtLeast, kAtMost };
  enum class Unit { kRatio, kMicroseconds, kMilliseconds };

  std::string what;  // "tiny jobs on 8 connections"
  Comparison comparison = Comparison::kAtLeast;
  double threshold = 0;
  Unit unit = Unit::kRatio;
  std::string reference;  // what the threshold is against or when: "baseline"
};

// "WHAT >= 0.6x REFERENCE", "WHAT <= 20 µs REFERENCE", "WHAT <= 5 ms REFERENCE".
std::string GoalText(const PerformanceTarget& target);

// Whether `value` meets `target`'s threshold.
bool Meets(const PerformanceTarget& target, double value);

enum class Verdict { kMet, kMissed, kNotRun };

struct TargetCheck {
  std::string goal;      // GoalText
  std::string measured;  // the figure and what it was made of; empty when not run
  Verdict verdict = Verdict::kNotRun;
  double value = 0;  // the figure compared with the threshold (ratio, µs, ms)
};

// Every target, in the report's order.
const std::vector<PerformanceTarget>& PerformanceTargets();

// Every target judged against `results` (any subset of the scenarios).
std::vector<TargetCheck> CheckTargets(const std::vector<ScenarioResult>& results);

// The report's targets table: goal, measured and verdict in Markdown
// ("**missed**", "-" for a target not run); goal, measured, value and
// verdict in JSON.
Table TargetsTable(const std::vector<TargetCheck>& checks);

}  // namespace fibpool::bench
