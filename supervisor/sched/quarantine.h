// Inputs whose job killed two workers (the retry rule of job_table.h answers
// them ERR worker_crashed): for a while after, the same request is answered
// ERR worker_crashed at once instead of costing two more workers.
//
// An input is an (algorithm, N) pair. Entries expire `period` after they were
// added (adding a held input again changes nothing). SetPeriod() changes the
// period of every entry, those held already included (a shorter one releases
// them sooner, at once when they are older than it); one period applies to
// all, so entries expire in the order they were added. At most
// `capacity` are held, the one that expires first making room for a new one,
// so memory stays bounded however many inputs crash.
//
// Pure: the caller passes the time. Not thread-safe: the event loop's.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <utility>

#include "ipc/job.h"

namespace fibpool::supervisor {

// How many inputs that killed two workers are remembered. How long each is
// refused is the setting quarantine_period (config.h).
inline constexpr std::size_t kQuarantineCapacity = 1024;

class Quarantine {
 public:
  explicit Quarantine(std::chrono::nanoseconds period, std::size_t capacity = kQuarantineCapacity);

  void Add(ipc::Algorithm algorithm, std::uint64_t n, std::uint64_t now_ns);
  // From now on every entry, old or new, ends `period` after it was added.
  void SetPeriod(std::chrono::nanoseconds period);
  // Whether the input is held at `now_ns`; how long it still is in *left.
  bool Holds(ipc::Algorithm algorithm, std::uint64_t n, std::uint64_t now_ns,
             std::chrono::nanoseconds* left = nullptr);
  // Inputs remembered (expired ones are dropped as time passes in Add and Holds).
  std::size_t size() const { return added_.size(); }
  // Inputs held at `now_ns`: remembered and not expired.
  std::size_t Held(std::uint64_t now_ns) const;

 private:
  using Key = std::pair<ipc::Algorithm, std::uint64_t>;
  void Expire(std::uint64_t now_ns);

  std::uint64_t period_ns_;
  std::size_t capacity_;
  std::map<Key, std::uint64_t> added_;               // input -> when it was added
  std::deque<std::pair<Key, std::uint64_t>> order_;  // the same, as added: times ascend
};

}  // namespace fibpool::supervisor
