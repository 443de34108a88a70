// A job's share of the ResultBudget (result_budget.h), from the job's
// dispatch until its answer is written to the client or dropped: whoever
// holds the result holds the lease (the pool's job table, then the JobResult,
// then the connection's answer queue), and destroying it releases the bytes.
//
// Ownership: move-only; an empty (default or moved-from) lease counts
// nothing. It refers to the budget's Owner weakly: a lease that outlives the
// pool releases nothing. After releasing, it calls Owner::on_release (the
// pool schedules its dispatch, as a waiting job may fit now).
//
// Threading: the Owner lives on its executor's thread (the pool's). A lease
// may be released on another thread (a connection's I/O thread): the
// release then runs on the Owner's executor, posted there. An Owner without
// an executor is released where the lease is (a single-threaded owner).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "supervisor/sched/result_budget.h"

namespace fibpool::supervisor {

class ResultLease {
 public:
  struct Owner {
    ResultBudget budget;
    std::function<void()> on_release;
    boost::asio::any_io_executor executor;  // where the budget lives; empty: anywhere
  };

  ResultLease() = default;
  // Counts `bytes` by `route` as dispatched in `owner`'s budget.
  ResultLease(const std::shared_ptr<Owner>& owner, ResultRoute route, std::uint64_t bytes);
  ResultLease(ResultLease&& other) noexcept;
  ResultLease& operator=(ResultLease&& other) noexcept;
  ResultLease(const ResultLease&) = delete;
  ResultLease& operator=(const ResultLease&) = delete;
  ~ResultLease();

  // The result buffer is in the supervisor's mapping now (in flight -> held).
  void Arrived();
  bool empty() const { return bytes_ == 0; }

 private:
  void Release();

  std::weak_ptr<Owner> owner_;
  ResultRoute route_ = ResultRoute::kInline;
  std::uint64_t bytes_ = 0;
  bool arrived_ = false;
};

}  // namespace fibpool::supervisor
