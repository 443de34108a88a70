#include "os/shared_segment.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <utility>

#include "os/unique_fd.h"

namespace fibpool::os {

SharedSegment::SharedSegment(SharedSegment&& other) noexcept
    : name_(std::move(other.name_)),
      data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      owner_(std::exchange(other.owner_, false)) {}

SharedSegment& SharedSegment::operator=(SharedSegment&& other) noexcept {
  if (this != &other) {
    Release();
    name_ = std::move(other.name_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    owner_ = std::exchange(other.owner_, false);
  }
  return *this;
}

SharedSegment::~SharedSegment() { Release(); }

void SharedSegment::Release() {
  if (data_ != nullptr) ::munmap(data_, size_);
  data_ = nullptr;
  size_ = 0;
  if (owner_) ::shm_unlink(name_.c_str());
  owner_ = false;
}

boost::system::error_code SharedSegment::Map(int fd, std::size_t size, Access access) {
  const int protection = access == Access::kReadOnly ? PROT_READ : PROT_READ | PROT_WRITE;
  void* data = ::mmap(nullptr, size, protection, MAP_SHARED, fd, 0);
  if (data == MAP_FAILED) return ErrnoError();
  data_ = data;
  size_ = size;
  return {};
}

Result<SharedSegment> SharedSegment::Create(const std::string& name, std::size_t size) {
  UniqueFd fd(::shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600));
  if (!fd.valid()) return ErrnoError();
  SharedSegment segment;
  segment.name_ = name;
  segment.owner_ = true;  // from here on, a failure below unlinks the name
  if (::ftruncate(fd.get(), static_cast<off_t>(size)) != 0) return ErrnoError();
  // Reserve the memory now: a full tmpfs is ENOSPC here, not a SIGBUS at the
  // first write to a page it cannot back.
  if (const int err = ::posix_fallocate(fd.get(), 0, static_cast<off_t>(size)); err != 0) {
    return PosixError(err);
  }
  if (auto ec = segment.Map(fd.get(), size, Access::kReadWrite)) return ec;
  // `fd` closes here; the mapping keeps the memory.
  return segment;
}

Result<SharedSegment> SharedSegment::Open(const std::string& name, Access access) {
  const int flags = (access == Access::kReadOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC;
  UniqueFd fd(::shm_open(name.c_str(), flags, 0));
  if (!fd.valid()) return ErrnoError();
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return ErrnoError();
  SharedSegment segment;
  segment.name_ = name;
  if (auto ec = segment.Map(fd.get(), static_cast<std::size_t>(st.st_size), access)) return ec;
  return segment;
}

bool SharedSegment::Remove(const std::string& name) { return ::shm_unlink(name.c_str()) == 0; }

std::uint64_t SharedSegment::FreeBytes() {
  struct statvfs fs {};
  if (::statvfs("/dev/shm", &fs) != 0) return 0;
  return static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
}

void SharedSegment::Unlink() {
  if (!name_.empty()) ::shm_unlink(name_.c_str());
  owner_ = false;
}

}  // namespace fibpool::os
