// How many CPUs this process may run on: its affinity mask (what taskset or
// a cpuset leaves it), else std::thread::hardware_concurrency(); at least 1.
#pragma once

namespace fibpool::bench {

unsigned UsableCpus();

}  // namespace fibpool::bench
