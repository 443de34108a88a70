// How long the pool waits before it spawns replacement workers: nothing
// normally; once workers die as fast as they start (kQuickDeathsBeforeBackoff
// in a row, each within kQuickDeath of its start) or cannot be spawned at
// all, an exponential back-off from kFirstBackoff to kMaxBackoff, so that a
// crash loop does not become a tight fork loop. Any answer from a worker, or
// a crash after a long life, ends the back-off.
//
// Pure: the caller passes in how long each dead worker lived.
#pragma once

#include <chrono>
#include <cstdint>

namespace fibpool::supervisor {

class RespawnBackoff {
 public:
  static constexpr std::chrono::nanoseconds kQuickDeath = std::chrono::seconds(1);
  static constexpr unsigned kQuickDeathsBeforeBackoff = 3;
  static constexpr std::chrono::milliseconds kFirstBackoff{100};
  static constexpr std::chrono::milliseconds kMaxBackoff{5'000};

  // A worker answered: it is not crash-looping.
  void OnAnswer();
  // A worker crashed after living `lived`. Returns true when this crash
  // starts or lengthens a back-off (the crash loop worth logging).
  bool OnCrash(std::chrono::nanoseconds lived);
  // A worker could not be spawned at all.
  void OnSpawnFailed();

  // 0: spawn at once.
  std::chrono::milliseconds delay() const { return delay_; }
  unsigned quick_deaths() const { return quick_deaths_; }

 private:
  void Lengthen();

  unsigned quick_deaths_ = 0;  // consecutive workers that died soon after starting
  std::chrono::milliseconds delay_{0};
};

}  // namespace fibpool::supervisor
