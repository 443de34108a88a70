// Owner of one named POSIX shared-memory segment mapped into this process,
// made with Boost.Interprocess (shared_memory_object, mapped_region).
//
// Move-only; a moved-from segment is empty. The mapping lives as long as the
// object; the descriptor does not: it is closed as soon as the segment is
// mapped, so a segment holds no file descriptor. Only the creator unlinks the
// name, in its destructor, unless it passed ownership on with Disown() (a
// worker handing a result buffer to the supervisor) or unlinked early with
// Unlink(). Creation fails if the name exists: a leftover of a dead instance
// is removed by RemoveStaleSegments() (segment_names.h), never silently
// reused. Segments are created mode 0600 whatever the umask (the supervisor
// and its workers run as one user); the descriptor is close-on-exec while it
// is open (shm_open sets FD_CLOEXEC, which Boost.Interprocess uses on Linux).
//
// Create reserves the segment's memory (posix_fallocate), so that a full
// /dev/shm fails Create with ENOSPC instead of killing the writer with
// SIGBUS later.
//
// Failure behaviour: Create and Open return the errno of the call that failed
// (shm_open, ftruncate, posix_fallocate, fstat, mmap) as an error code
// (os/posix_error.h); e.g. opening a name that does not exist gives
// std::errc::no_such_file_or_directory, creating one that exists
// std::errc::file_exists. A segment of 0 bytes cannot be mapped:
// std::errc::invalid_argument. Boost.Interprocess's exceptions are turned
// into these values here and go no further; Create and Open throw nothing
// but std::bad_alloc. A Create that fails after the name was made unlinks
// it again.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <boost/interprocess/mapped_region.hpp>

#include "os/posix_error.h"

namespace fibpool::os {

class SharedSegment {
 public:
  enum class Access { kReadOnly, kReadWrite };

  SharedSegment() = default;
  SharedSegment(SharedSegment&& other) noexcept;
  SharedSegment& operator=(SharedSegment&& other) noexcept;
  SharedSegment(const SharedSegment&) = delete;
  SharedSegment& operator=(const SharedSegment&) = delete;
  ~SharedSegment();

  // Creates `name` (exclusively) with `size` zeroed bytes, mapped read-write.
  static Result<SharedSegment> Create(const std::string& name, std::size_t size);
  // Maps an existing segment, whole.
  static Result<SharedSegment> Open(const std::string& name, Access access);
  // Unlinks `name` if it exists (a dead namesake's leftover); true if it did.
  static bool Remove(const std::string& name);
  // Bytes still free where segments live (/dev/shm, statvfs's f_bavail x
  // f_frsize); 0 when statvfs fails.
  static std::uint64_t FreeBytes();

  void* data() const { return region_.get_address(); }
  std::size_t size() const { return region_.get_size(); }
  const std::string& name() const { return name_; }
  bool empty() const { return data() == nullptr; }

  // Removes the name now; the mapping stays valid.
  void Unlink();
  // This object will not unlink the name: someone else now owns it.
  void Disown() { owner_ = false; }

 private:
  void Release();

  std::string name_;
  boost::interprocess::mapped_region region_;  // unmapped by its destructor
  bool owner_ = false;
};

}  // namespace fibpool::os
