#include "worker/gmp_memory.h"

#include <gmp.h>
#include <unistd.h>

#include <cstdlib>

#include "ipc/messages.h"

namespace fibpool::worker {

namespace {

// Freed when GMP runs out of memory, so that the handler can still encode and
// send one small answer.
constexpr std::size_t kReserveBytes = 64 * 1024;

void* reserve = nullptr;
OutOfMemoryHandler handler = nullptr;

[[noreturn]] void OutOfMemory() {
  std::free(reserve);
  reserve = nullptr;
  if (handler) handler();
  static constexpr char kMessage[] = "fibpool-worker: GMP is out of memory\n";
  [[maybe_unused]] const auto written = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  ::_exit(ipc::kExitOutOfMemory);
}

void* Allocate(std::size_t size) {
  void* p = std::malloc(size);
  if (p == nullptr) OutOfMemory();
  return p;
}

void* Reallocate(void* old, std::size_t, std::size_t size) {
  void* p = std::realloc(old, size);
  if (p == nullptr && size > 0) OutOfMemory();
  return p;
}

void Free(void* p, std::size_t) { std::free(p); }

}  // namespace

void InstallGmpMemoryFunctions(OutOfMemoryHandler on_failure) {
  handler = on_failure;
  if (reserve == nullptr) reserve = std::malloc(kReserveBytes);
  mp_set_memory_functions(Allocate, Reallocate, Free);
}

}  // namespace fibpool::worker
