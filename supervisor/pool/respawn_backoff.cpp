#include "supervisor/pool/respawn_backoff.h"

#include <algorithm>

namespace fibpool::supervisor {

void RespawnBackoff::OnAnswer() {
  quick_deaths_ = 0;
  delay_ = std::chrono::milliseconds(0);
}

bool RespawnBackoff::OnCrash(std::chrono::nanoseconds lived) {
  if (lived >= kQuickDeath) {
    OnAnswer();
    return false;
  }
  if (++quick_deaths_ < kQuickDeathsBeforeBackoff) return false;
  Lengthen();
  return true;
}

void RespawnBackoff::OnSpawnFailed() { Lengthen(); }

void RespawnBackoff::Lengthen() { delay_ = std::clamp(delay_ * 2, kFirstBackoff, kMaxBackoff); }

}  // namespace fibpool::supervisor
