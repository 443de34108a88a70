// Large results in shared memory: the worker writes the digits straight into
// a fresh segment and sends only its name through the pipe; the supervisor
// maps it and writes to the socket from the mapping. No copy of the digits
// passes through the pipe or the supervisor's heap.
//
// Ownership: the worker creates the segment and Disown()s it once the frame
// naming it is sent; from then the supervisor owns it. The supervisor unlinks
// the name as soon as it has mapped it (TakeResultBuffer), so a crash after
// that leaves nothing behind; the mapping lives as long as the os::SharedSegment.
// A buffer whose frame never arrived (the worker died) is removed by the
// supervisor by name, or at the next start by RemoveStaleSegments().
#pragma once

#include <cstdint>
#include <string>

#include "os/posix_error.h"
#include "os/shared_segment.h"

namespace fibpool::ipc {

// Supervisor side: maps buffer `name`, unlinks it, and checks that it holds at
// least `length` bytes. Failure behaviour: IpcError::kBadSegmentName (not a
// fibpool.* name, or one with a '/'), the errno of opening or mapping it, or
// IpcError::kShortResultBuffer (the name is unlinked all the same).
os::Result<os::SharedSegment> TakeResultBuffer(const std::string& name, std::uint64_t length);

}  // namespace fibpool::ipc
