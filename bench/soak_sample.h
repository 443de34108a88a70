// One second of the soak as the sampler saw it (soak_sampler.h), and the
// order statistics the soak takes of such series. Plain data and pure
// functions.
#pragma once

#include <cstdint>
#include <vector>

namespace fibpool::bench {

struct SoakSample {
  double t_s = 0;                     // seconds since the load started
  std::uint64_t rss_bytes = 0;        // the supervisor's VmRSS
  std::uint64_t rss_anon_bytes = 0;   // RssAnon: its heap and stacks
  std::uint64_t rss_shmem_bytes = 0;  // RssShmem: big answers it has mapped from /dev/shm
  unsigned fds = 0;                   // entries of /proc/PID/fd
  std::uint64_t shm_bytes = 0;        // allocated bytes of /dev/shm/fibpool.<pid>.*
  unsigned shm_segments = 0;
  int workers = -1;                // main-lane workers in `stats` (-1: no answer)
  int reserve_workers = -1;        // reserve-lane workers in `stats`
  double tiny_p99_us = 0;          // p99 of the tiny jobs answered in that second (0: none)
  std::uint64_t tiny_answers = 0;  // tiny jobs answered in that second
  std::uint64_t answers = 0;       // every answer in that second (any request, any kind)
  std::uint64_t kills = 0;         // workers killed so far
  std::uint64_t resizes = 0;       // SIGHUP resizes so far
  bool load = true;                // false: taken after the load stopped
};

// The value at quantile q (0..1) by nearest rank: the smallest value with at
// least q of the values at or below it. 0 for an empty vector.
double NearestRank(std::vector<double> values, double q);

}  // namespace fibpool::bench
