// Large results in shared memory: the worker writes the digits straight into
// a fresh segment and sends only its name through the pipe; the supervisor
// maps it and writes to the socket from the mapping. No copy of the digits
// passes through the pipe or the supervisor's heap.
//
// Ownership: the worker creates the segment, named for the supervisor, the
// job and itself (ResultSegmentName, segment_names.h), and Disown()s it once
// the frame naming it is sent; from then the supervisor owns it. The
// supervisor unlinks the name as soon as it has mapped it (TakeResultBuffer),
// so a crash after that leaves nothing behind; the mapping lives as long as
// the os::SharedSegment. A buffer whose frame never arrived (the worker died)
// is removed by the supervisor by name, or at the next start by
// RemoveStaleSegments().
//
// Trust: the name in a frame comes from a worker, which may be faulty. The
// supervisor takes only the one name that worker may have made for that job;
// any other (the job queue, another job's or another worker's buffer) is
// refused without being opened or unlinked.
#pragma once

#include <cstdint>
#include <string>

#include "os/posix_error.h"
#include "os/shared_segment.h"

namespace fibpool::ipc {

// Supervisor side: maps buffer `name`, unlinks it, and checks that it holds at
// least `length` bytes. `expected` is the name the sending worker may use for
// the job (ResultSegmentName). Failure behaviour: IpcError::kBadSegmentName
// when `name` is not `expected` (nothing is opened or unlinked), the errno of
// opening or mapping it, or IpcError::kShortResultBuffer (the name is
// unlinked all the same).
os::Result<os::SharedSegment> TakeResultBuffer(const std::string& name,
                                               const std::string& expected,
                                               std::uint64_t length);

}  // namespace fibpool::ipc
