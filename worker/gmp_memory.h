// GMP's memory functions for the worker process, and what happens when GMP
// cannot get memory.
//
// GMP has no way to report an allocation failure to its caller: its own
// functions abort, and a custom function must not return NULL. Throwing a C++
// exception through GMP is not an option either: Debian's libgmp is C,
// compiled without unwind tables, so an exception cannot cross its frames.
// Nor is longjmp: it would leave GMP's temporary allocations and the mpz in
// an undefined state. So the failure ends the process, on purpose and
// cleanly: the allocator releases a small reserve kept for this moment and
// calls the handler installed here, which answers the job that was running
// (ERR internal, "out of memory") and exits with ipc::kExitOutOfMemory. The
// supervisor receives that answer before it sees the exit (WorkerProcess
// delivers every frame first), so the job is not retried: running it again
// would fail the same way. The worker is replaced like any other.
//
// Allocation failures outside GMP (std::string, std::vector) throw
// std::bad_alloc as usual and do not end the worker.
#pragma once

namespace fibpool::worker {

// Must not return: it ends the process.
using OutOfMemoryHandler = void (*)();

// Sets GMP's memory functions for the whole process. Call once, before any
// GMP value exists. Without a handler a failure writes a line to stderr and
// exits with ipc::kExitOutOfMemory.
void InstallGmpMemoryFunctions(OutOfMemoryHandler handler);

}  // namespace fibpool::worker
