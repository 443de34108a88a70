#include "supervisor/sched/result_lease.h"

#include <utility>

#include <boost/asio/dispatch.hpp>

namespace fibpool::supervisor {

ResultLease::ResultLease(const std::shared_ptr<Owner>& owner, ResultRoute route,
                         std::uint64_t bytes)
    : owner_(owner), route_(route), bytes_(bytes) {
  owner->budget.Dispatched(route, bytes);
}

ResultLease::ResultLease(ResultLease&& other) noexcept
    : owner_(std::move(other.owner_)),
      route_(other.route_),
      bytes_(std::exchange(other.bytes_, 0)),
      arrived_(other.arrived_) {}

ResultLease& ResultLease::operator=(ResultLease&& other) noexcept {
  if (this != &other) {
    Release();
    owner_ = std::move(other.owner_);
    route_ = other.route_;
    bytes_ = std::exchange(other.bytes_, 0);
    arrived_ = other.arrived_;
  }
  return *this;
}

ResultLease::~ResultLease() { Release(); }

void ResultLease::Arrived() {
  if (arrived_ || bytes_ == 0) return;
  if (auto owner = owner_.lock()) owner->budget.Arrived(route_, bytes_);
  arrived_ = true;
}

void ResultLease::Release() {
  if (bytes_ == 0) return;
  const std::uint64_t bytes = std::exchange(bytes_, 0);
  auto owner = owner_.lock();
  if (!owner) return;
  auto release = [owner, route = route_, bytes, arrived = arrived_] {
    owner->budget.Released(route, bytes, arrived);
    if (owner->on_release) owner->on_release();
  };
  if (owner->executor) {
    boost::asio::dispatch(owner->executor, std::move(release));
  } else {
    release();
  }
}

}  // namespace fibpool::supervisor
