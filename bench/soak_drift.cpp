#include "bench/soak_drift.h"

#include <algorithm>
#include <cstdio>

#include "bench/figure_text.h"

namespace fibpool::bench {

namespace {

std::string Segments(std::uint64_t bytes, unsigned segments) {
  return std::to_string(segments) + " (" + std::to_string(bytes) + " B)";
}

}  // namespace

bool DriftVerdict::ok() const {
  return std::all_of(checks.begin(), checks.end(), [](const DriftCheck& c) { return c.ok; });
}

DriftVerdict JudgeDrift(const std::vector<SoakSample>& samples, const SoakEnd& end,
                        const DriftLimits& limits) {
  DriftVerdict v;
  v.checks.push_back({"supervisor descriptors at rest", std::to_string(end.before.fds),
                      std::to_string(end.after.fds),
                      "at most +" + std::to_string(limits.fd_tolerance),
                      end.after.fds <= end.before.fds + limits.fd_tolerance});
  v.checks.push_back({"/dev/shm fibpool.<pid>.* at rest",
                      Segments(end.before.shm_bytes, end.before.shm_segments),
                      Segments(end.after.shm_bytes, end.after.shm_segments), "equal",
                      end.after.shm_bytes == end.before.shm_bytes &&
                          end.after.shm_segments == end.before.shm_segments});
  v.checks.push_back({"/dev/shm fibpool.<pid>.* after SIGTERM",
                      std::to_string(end.before.shm_segments),
                      std::to_string(end.segments_after_stop), "0", end.segments_after_stop == 0});
  v.checks.push_back({"worker processes after SIGTERM", "", std::to_string(end.workers_after_stop),
                      "0", end.workers_after_stop == 0});
  v.checks.push_back({"fibpool exit status after SIGTERM", "", std::to_string(end.exit_status), "0",
                      end.exit_status == 0});

  // The memory windows, over the samples taken under load.
  double last = 0;
  for (const SoakSample& s : samples) {
    if (s.load) last = std::max(last, s.t_s);
  }
  const double w = limits.warmup_fraction * last;
  std::vector<double> rss_warm, rss_end, anon_warm, anon_end;
  for (const SoakSample& s : samples) {
    if (!s.load) continue;
    if (s.t_s >= w && s.t_s < 2 * w) {
      rss_warm.push_back(static_cast<double>(s.rss_bytes));
      anon_warm.push_back(static_cast<double>(s.rss_anon_bytes));
    }
    if (s.t_s > last - w) {
      rss_end.push_back(static_cast<double>(s.rss_bytes));
      anon_end.push_back(static_cast<double>(s.rss_anon_bytes));
    }
  }
  v.rss_warm = NearestRank(rss_warm, 0.5);
  v.rss_end = NearestRank(rss_end, 0.5);
  v.rss_anon_warm = NearestRank(anon_warm, 0.5);
  v.rss_anon_end = NearestRank(anon_end, 0.5);
  const bool enough = anon_warm.size() >= 2 && anon_end.size() >= 2;
  v.checks.push_back(
      {"supervisor RssAnon under load (median, after warm-up -> last " +
           std::to_string(static_cast<int>(limits.warmup_fraction * 100 + 0.5)) + " %)",
       enough ? Mib(v.rss_anon_warm) : "too few samples", enough ? Mib(v.rss_anon_end) : "",
       "at most +" + Mib(static_cast<double>(limits.rss_tolerance_bytes)),
       enough &&
           v.rss_anon_end <= v.rss_anon_warm + static_cast<double>(limits.rss_tolerance_bytes)});
  return v;
}

}  // namespace fibpool::bench
