// Adds what one group of one load run measured to a target's Figures
// (scenario_result.h): counts, latency samples, the slice's rate, the first
// error, the timeline, and the CPU the run cost. Pure.
#pragma once

#include "bench/load_spec.h"
#include "bench/process_cpu.h"
#include "bench/scenario_result.h"

namespace fibpool::bench {

void Accumulate(Figures* f, const GroupResult& g, const RunResult& r);

// One group's counts, latency samples, first error and timeline, without the
// window and the slice's rate: several groups added to one Figures, for one
// run, then the window once.
void AddCounts(Figures* f, const GroupResult& g);

// The CPU a run cost: the bench client's (from `r`), and the server's and its
// workers' between `before` and `after` (ReadCpuTimes of the server's pid);
// `known`: false for a server the bench did not start (no pid to read).
void AccumulateCpu(Figures* f, const CpuTimes& before, const CpuTimes& after, const RunResult& r,
                   bool known);

}  // namespace fibpool::bench
