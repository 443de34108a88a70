// Names of fibpool's shared-memory segments, and the clean-up of those left by
// a supervisor that died without removing them (kill -9).
//
// Every name is "fibpool.<supervisor pid>.<what>", so segments belong to one
// instance and a live instance's segments are recognisable as such:
//   fibpool.<pid>.queue       the main lane's job queue (job_queue.h)
//   fibpool.<pid>.reserve     the reserve lane's job queue
//   fibpool.<pid>.r<job id>.w<worker pid>
//                             one large result, made by that worker for that
//                             job (result_buffer.h)
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace fibpool::ipc {

std::string QueueSegmentName(pid_t supervisor);
std::string ReserveQueueSegmentName(pid_t supervisor);
std::string ResultSegmentName(pid_t supervisor, std::uint64_t job_id, pid_t worker);

// Removes every fibpool.<pid>.* segment under /dev/shm whose <pid> is no
// longer a running process. Never touches a live instance's segments nor
// names of any other form. Returns the names removed.
std::vector<std::string> RemoveStaleSegments();

}  // namespace fibpool::ipc
