// The soak's drift verdict (pure; no I/O): did the supervisor come back to
// where it was once the load stopped, and did its memory stay flat under
// load?
//
//  - descriptors: at rest after the load (load connections closed, pool back
//    to its start size) against at rest before it (after the warm-up
//    requests), within DriftLimits::fd_tolerance;
//  - /dev/shm: at rest after the load, the same fibpool.<pid>.* bytes and
//    segments as before it (the job queues); none after SIGTERM;
//  - processes: no worker left after SIGTERM, and fibpool exited 0;
//  - memory: the median RssAnon (heap and stacks: VmRSS less the big
//    answers mapped from /dev/shm, which come and go with the load) over the
//    last warmup_fraction of the load against the window of the same length
//    right after the warm-up (the first warmup_fraction), within
//    rss_tolerance_bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/soak_sample.h"

namespace fibpool::bench {

struct DriftLimits {
  double warmup_fraction = 0.1;
  unsigned fd_tolerance = 2;
  std::uint64_t rss_tolerance_bytes = 8ULL << 20;
};

// The supervisor at rest (no load connection open, pool at its start size).
struct AtRest {
  unsigned fds = 0;
  std::uint64_t shm_bytes = 0;
  unsigned shm_segments = 0;
};

struct SoakEnd {
  AtRest before;                     // after the warm-up requests, before the load
  AtRest after;                      // after the load
  unsigned segments_after_stop = 0;  // fibpool.<pid>.* left after SIGTERM
  unsigned workers_after_stop = 0;   // worker processes alive after SIGTERM
  int exit_status = -1;              // fibpool's, after SIGTERM
};

struct DriftCheck {
  std::string what;
  std::string before;
  std::string after;
  std::string limit;
  bool ok = false;
};

struct DriftVerdict {
  std::vector<DriftCheck> checks;
  // The RSS windows, for the report (bytes; medians).
  double rss_warm = 0, rss_end = 0, rss_anon_warm = 0, rss_anon_end = 0;
  bool ok() const;
};

// `samples`: every sample; only those taken under load (SoakSample::load)
// make the memory windows. Too few of them (fewer than 2 per window): the
// memory check fails, saying so.
DriftVerdict JudgeDrift(const std::vector<SoakSample>& samples, const SoakEnd& end,
                        const DriftLimits& limits);

}  // namespace fibpool::bench
