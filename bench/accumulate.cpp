#include "bench/accumulate.h"

#include <algorithm>

namespace fibpool::bench {

void AddCounts(Figures* f, const GroupResult& g) {
  f->sent += g.sent;
  f->answered += g.answered;
  f->answered_in_window += g.answered_in_window;
  f->wrong += g.wrong;
  f->unanswered += g.unanswered;
  f->latency.Merge(g.latency);
  if (f->first_error.empty()) f->first_error = g.first_error;
  if (f->timeline.size() < g.timeline.size()) f->timeline.resize(g.timeline.size());
  for (std::size_t i = 0; i < g.timeline.size(); ++i) f->timeline[i] += g.timeline[i];
}

void Accumulate(Figures* f, const GroupResult& g, const RunResult& r) {
  f->window_seconds += r.window_seconds;
  AddCounts(f, g);
  f->per_slice.push_back(
      r.window_seconds > 0 ? static_cast<double>(g.answered_in_window) / r.window_seconds : 0);
}

void AccumulateCpu(Figures* f, const CpuTimes& before, const CpuTimes& after, const RunResult& r,
                   bool known) {
  f->client_cpu_seconds += r.client_cpu_seconds;
  f->server_cpu_seconds += after.self_seconds - before.self_seconds;
  f->worker_cpu_seconds += std::max(0.0, after.children_seconds - before.children_seconds);
  f->server_wait_seconds += after.self_wait_seconds - before.self_wait_seconds;
  f->worker_wait_seconds +=
      std::max(0.0, after.children_wait_seconds - before.children_wait_seconds);
  f->server_wakeups += after.self_slices - before.self_slices;
  if (after.children_slices > before.children_slices) {
    f->worker_wakeups += after.children_slices - before.children_slices;
  }
  f->cpu_known = known;
}

}  // namespace fibpool::bench
