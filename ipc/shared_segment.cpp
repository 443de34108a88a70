#include "ipc/shared_segment.h"

#include <utility>

#include <boost/interprocess/shared_memory_object.hpp>

namespace fibpool::ipc {

namespace bip = boost::interprocess;

SharedSegment::SharedSegment(SharedSegment&& other) noexcept
    : name_(std::move(other.name_)),
      region_(std::move(other.region_)),
      owner_(std::exchange(other.owner_, false)) {}

SharedSegment& SharedSegment::operator=(SharedSegment&& other) noexcept {
  if (this != &other) {
    if (owner_) bip::shared_memory_object::remove(name_.c_str());
    name_ = std::move(other.name_);
    region_ = std::move(other.region_);
    owner_ = std::exchange(other.owner_, false);
  }
  return *this;
}

SharedSegment::~SharedSegment() {
  if (owner_) bip::shared_memory_object::remove(name_.c_str());
}

SharedSegment SharedSegment::Create(const std::string& name, std::size_t size) {
  SharedSegment segment;
  bip::shared_memory_object object(bip::create_only, name.c_str(), bip::read_write);
  segment.name_ = name;
  segment.owner_ = true;  // from here on, a failure below unlinks the name
  object.truncate(static_cast<bip::offset_t>(size));
  segment.region_ = bip::mapped_region(object, bip::read_write);
  // `object` closes its fd here; the mapping keeps the memory.
  return segment;
}

SharedSegment SharedSegment::Open(const std::string& name, Access access) {
  const auto mode = access == Access::kReadOnly ? bip::read_only : bip::read_write;
  bip::shared_memory_object object(bip::open_only, name.c_str(), mode);
  SharedSegment segment;
  segment.name_ = name;
  segment.region_ = bip::mapped_region(object, mode);
  return segment;
}

std::optional<SharedSegment> SharedSegment::TryCreate(const std::string& name, std::size_t size,
                                                      std::string* why) {
  try {
    return Create(name, size);
  } catch (const std::exception& e) {
    *why = e.what();
    return std::nullopt;
  }
}

std::optional<SharedSegment> SharedSegment::TryOpen(const std::string& name, Access access,
                                                    std::string* why) {
  try {
    return Open(name, access);
  } catch (const std::exception& e) {
    *why = e.what();
    return std::nullopt;
  }
}

void SharedSegment::Unlink() {
  if (!name_.empty()) bip::shared_memory_object::remove(name_.c_str());
  owner_ = false;
}

}  // namespace fibpool::ipc
