#include "os/shared_segment.h"

#include <fcntl.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <utility>

#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/permissions.hpp>
#include <boost/interprocess/shared_memory_object.hpp>

namespace fibpool::os {

namespace bip = boost::interprocess;

namespace {

constexpr unsigned kMode = 0600;

// The one place where Boost.Interprocess's exceptions become error values.
// A failed system call carries its errno; the library's own checks that
// fibpool can trigger carry none (size_error: a segment of 0 bytes to map),
// and are what mmap says of a length of 0.
boost::system::error_code ErrorOf(const bip::interprocess_exception& e) {
  const int err = e.get_native_error();
  return PosixError(err != 0 ? err : EINVAL);
}

bip::mode_t ModeOf(SharedSegment::Access access) {
  return access == SharedSegment::Access::kReadOnly ? bip::read_only : bip::read_write;
}

}  // namespace

SharedSegment::SharedSegment(SharedSegment&& other) noexcept
    : name_(std::move(other.name_)),
      region_(std::move(other.region_)),
      owner_(std::exchange(other.owner_, false)) {}

SharedSegment& SharedSegment::operator=(SharedSegment&& other) noexcept {
  if (this != &other) {
    Release();
    name_ = std::move(other.name_);
    region_ = std::move(other.region_);
    owner_ = std::exchange(other.owner_, false);
  }
  return *this;
}

SharedSegment::~SharedSegment() { Release(); }

void SharedSegment::Release() {
  region_ = bip::mapped_region();  // unmaps
  if (owner_) Remove(name_);
  owner_ = false;
}

Result<SharedSegment> SharedSegment::Create(const std::string& name, std::size_t size) {
  SharedSegment segment;
  try {
    bip::shared_memory_object shm(bip::create_only, name.c_str(), bip::read_write,
                                  bip::permissions(kMode));
    segment.name_ = name;
    segment.owner_ = true;  // from here on, a failure below unlinks the name
    shm.truncate(static_cast<bip::offset_t>(size));
    // Reserve the memory now: a full tmpfs is ENOSPC here, not a SIGBUS at
    // the first write to a page it cannot back. Boost 1.81's truncate() does
    // this too where it was built with posix_fallocate, but silently falls
    // back to ftruncate when the file system refuses; here it is a guarantee.
    const int fd = shm.get_mapping_handle().handle;
    if (const int err = ::posix_fallocate(fd, 0, static_cast<off_t>(size)); err != 0) {
      return PosixError(err);
    }
    segment.region_ = bip::mapped_region(shm, bip::read_write, 0, size);
  } catch (const bip::interprocess_exception& e) {
    return ErrorOf(e);
  }
  // `shm` closed its descriptor; the mapping keeps the memory.
  return segment;
}

Result<SharedSegment> SharedSegment::Open(const std::string& name, Access access) {
  SharedSegment segment;
  try {
    const bip::shared_memory_object shm(bip::open_only, name.c_str(), ModeOf(access));
    segment.region_ = bip::mapped_region(shm, ModeOf(access));  // whole: its size from fstat
  } catch (const bip::interprocess_exception& e) {
    return ErrorOf(e);
  }
  segment.name_ = name;
  return segment;
}

bool SharedSegment::Remove(const std::string& name) {
  return bip::shared_memory_object::remove(name.c_str());
}

std::uint64_t SharedSegment::FreeBytes() {
  struct statvfs fs {};
  if (::statvfs("/dev/shm", &fs) != 0) return 0;
  return static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
}

void SharedSegment::Unlink() {
  if (!name_.empty()) Remove(name_);
  owner_ = false;
}

}  // namespace fibpool::os
