// Owner of one named POSIX shared-memory segment mapped into this process.
//
// Move-only; a moved-from segment is empty. The mapping lives as long as the
// object. Only the creator unlinks the name, in its destructor, unless it
// passed ownership on with Disown() (a worker handing a result buffer to the
// supervisor) or unlinked early with Unlink(). Creation fails if the name
// exists: a leftover of a dead instance is removed by RemoveStaleSegments()
// (segment_names.h), never silently reused.
//
// Failure: Create/Open throw boost::interprocess::interprocess_exception
// (start-up) or, in the Try* forms, return std::nullopt with a reason.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <boost/interprocess/mapped_region.hpp>

namespace fibpool::ipc {

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
  static SharedSegment Create(const std::string& name, std::size_t size);
  // Maps an existing segment, whole.
  static SharedSegment Open(const std::string& name, Access access);
  static std::optional<SharedSegment> TryCreate(const std::string& name, std::size_t size,
                                                std::string* why);
  static std::optional<SharedSegment> TryOpen(const std::string& name, Access access,
                                              std::string* why);

  void* data() const { return region_.get_address(); }
  std::size_t size() const { return region_.get_size(); }
  const std::string& name() const { return name_; }
  bool empty() const { return data() == nullptr; }

  // Removes the name now; the mapping stays valid.
  void Unlink();
  // This object will not unlink the name: someone else now owns it.
  void Disown() { owner_ = false; }

 private:
  std::string name_;
  boost::interprocess::mapped_region region_;
  bool owner_ = false;
};

}  // namespace fibpool::ipc
