// The worker pool as one I/O thread's connections see it: a JobExecutor that
// runs on the I/O thread and forwards every call to the pool on the pool's
// thread (server.h), so that the pool itself stays single-threaded.
//
// Submit() takes every job and returns an id of the gate's own at once; the
// job reaches the pool on the pool's thread, and a job the pool refuses
// (busy, shutting_down, out_of_range, worker_crashed) is answered through its
// callback with that error, as a result would be. The callback runs on the
// gate's own executor, never inside Submit(). Abandon() follows its job to
// the pool in the same order, so it finds the job there unless its answer is
// already on the way back (the connection, which no longer waits for it,
// then drops it).
//
// Notify() sends a notice the same way: it runs on the pool's thread after
// every call made before it (IoThread::Drain's "drained": the pool must not
// stop before the jobs read until then have reached it).
//
// Batching: the calls of one turn of the I/O thread's loop cross to the pool
// together, in one handler, and the answers of one turn of the pool's loop
// come back together: one wake-up of the other thread per turn, not per job.
//
// Threading: Submit() and Abandon() on the gate's executor's thread; the
// answers on the way back and the table of the pool's ids on the pool's
// thread only. Lifetime: outlives both executors' pending handlers (the
// server destroys the gates after its threads have stopped), and `pool`
// outlives the gate. Nothing here throws on the serving path.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "supervisor/job_executor.h"

namespace fibpool::supervisor {

class PoolGate : public JobExecutor {
 public:
  PoolGate(JobExecutor* pool, boost::asio::any_io_executor pool_executor,
           boost::asio::any_io_executor own_executor);
  PoolGate(const PoolGate&) = delete;
  PoolGate& operator=(const PoolGate&) = delete;

  // Never refuses by itself; the pool's refusals come back through
  // `callback` like its results.
  std::uint64_t Submit(const JobSpec& spec, const std::string& flow,
                       JobCallback callback) override;
  void Abandon(std::uint64_t job_id) override;
  // Runs `notice` on the pool's thread once every call made before it (in
  // this turn or earlier) has reached the pool. On the gate's thread.
  void Notify(std::function<void()> notice);

 private:
  // A call on its way to the pool: a job to submit, a job to abandon, or a
  // notice.
  struct Call {
    enum class Kind { kSubmit, kAbandon, kNotice };
    Kind kind = Kind::kSubmit;
    std::uint64_t id = 0;
    JobSpec spec;
    std::string flow;
    JobCallback callback;
    std::function<void()> notice;
  };
  using Reply = std::pair<JobCallback, JobResult>;

  // On the gate's thread: queues `call`, to go with the others of this turn.
  void Queue(Call&& call);
  // On the gate's thread: the calls of this turn, to the pool.
  void SendCalls();
  // On the pool's thread.
  void Run(Call& call);
  void Answer(JobCallback callback, JobResult&& result);
  void SendAnswers();

  JobExecutor* pool_;
  boost::asio::any_io_executor pool_executor_;
  boost::asio::any_io_executor own_executor_;
  // The gate's thread.
  std::uint64_t next_id_ = 1;
  std::vector<Call> calls_;  // not yet sent
  // The pool's thread.
  std::unordered_map<std::uint64_t, std::uint64_t> pool_ids_;  // gate id -> pool id
  std::vector<Reply> answers_;                                 // not yet sent
};

}  // namespace fibpool::supervisor
