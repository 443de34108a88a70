// Runs one RunSpec against one target on the calling thread: connects every
// connection first, then starts the groups (each after its start_delay), lets
// the warm-up pass, measures the window, stops sending, waits (at most
// drain_cap) for the outstanding answers, and closes everything.
//
// One thread and one io_context for all the connections: the client stays a
// small, steady cost beside the server it measures. Bounded: returns at the
// latest warm-up + window + drain_cap after the connections are made.
// Failure: a connection that cannot be made is reported in RunResult::failure
// (nothing is sent then); nothing throws except std::bad_alloc.
#pragma once

#include "bench/load_spec.h"

namespace fibpool::bench {

class LoadRun {
 public:
  explicit LoadRun(RunSpec spec) : spec_(std::move(spec)) {}
  RunResult Run();

 private:
  RunSpec spec_;
};

}  // namespace fibpool::bench
