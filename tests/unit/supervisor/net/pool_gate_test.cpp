// PoolGate between two event loops: a fake pool (a JobExecutor of the test)
// on one io_context, the gate's own calls on another. Most tests run both
// loops from the test's thread, one handler at a time, so that the order in
// which calls and answers cross is the test's to choose; the last one runs
// each loop on a thread of its own.
#include "supervisor/net/pool_gate.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "os/shared_segment.h"
#include "supervisor/protocol/refusal.h"
#include "supervisor/sched/cost_model.h"
#include "supervisor/sched/job_spec.h"
#include "supervisor/sched/result_lease.h"
#include "tests/support/segment_name.h"
#include "tests/support/wait.h"

namespace fibpool::supervisor {
namespace {

namespace asio = boost::asio;

// The pool's side: records every call it gets, in order, and answers a job
// only when the test tells it to. Used on the pool's loop only, except for
// what the threaded test reads under the lock.
class FakePool : public JobExecutor {
 public:
  // Refuses as the pool does: through the callback, posted to its own loop.
  std::uint64_t Submit(const JobSpec& spec, const std::string&, JobCallback callback) override {
    std::lock_guard lock(mutex_);
    const std::uint64_t n = spec.n;
    if (refuse_) {
      events_.push_back("refused " + std::to_string(n));
      asio::post(pool_executor_, [callback = std::move(callback), r = *refuse_]() mutable {
        callback(JobResult::Error(r.code, r.detail));
      });
      return 0;
    }
    const std::uint64_t id = next_id_++;
    callbacks_.emplace(id, std::move(callback));
    events_.push_back("submit " + std::to_string(n));
    if (answer_on_) {
      asio::post(answer_on_, [this, id] {
        Answer(id, JobResult{{}, AnswerPayload("answer")});
      });
    }
    return id;
  }
  void Abandon(std::uint64_t job_id) override {
    std::lock_guard lock(mutex_);
    callbacks_.erase(job_id);
    events_.push_back("abandon " + std::to_string(job_id));
  }

  // Answers pool job `id` (on the pool's loop, as the pool would); false
  // when it is not waiting (abandoned).
  bool Answer(std::uint64_t id, JobResult&& result) {
    JobCallback callback;
    {
      std::lock_guard lock(mutex_);
      const auto it = callbacks_.find(id);
      if (it == callbacks_.end()) return false;
      callback = std::move(it->second);
      callbacks_.erase(it);
    }
    callback(std::move(result));
    return true;
  }
  // From now on every job taken is answered on `executor`, after Submit().
  void AnswerEachJobOn(asio::any_io_executor executor) { answer_on_ = std::move(executor); }
  void Record(std::string event) {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
  }
  // From now on every job is refused with `refusal`, answered on `executor`.
  void RefuseWith(Refusal refusal, asio::any_io_executor executor) {
    refuse_ = std::move(refusal);
    pool_executor_ = std::move(executor);
  }
  std::vector<std::string> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  std::vector<std::uint64_t> waiting() const {
    std::lock_guard lock(mutex_);
    std::vector<std::uint64_t> ids;
    for (const auto& entry : callbacks_) ids.push_back(entry.first);
    return ids;
  }

 private:
  mutable std::mutex mutex_;
  std::optional<Refusal> refuse_;
  asio::any_io_executor pool_executor_;
  asio::any_io_executor answer_on_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, JobCallback> callbacks_;
  std::vector<std::string> events_;
};

JobResult Text(std::string text) { return JobResult{{}, AnswerPayload(std::move(text))}; }

// Runs both loops from this thread until neither has a handler ready.
void RunBoth(asio::io_context& a, asio::io_context& b) {
  for (;;) {
    a.restart();
    b.restart();
    if (a.poll() + b.poll() == 0) return;
  }
}

class PoolGateTest : public ::testing::Test {
 protected:
  asio::io_context pool_io_;
  asio::io_context io_;
  FakePool pool_;
  PoolGate gate_{&pool_, pool_io_.get_executor(), io_.get_executor()};
};

TEST_F(PoolGateTest, ANoticeGivenInTheTurnOfASubmitRunsAfterTheJobReachedThePool) {
  bool on_pool_thread = false;
  asio::post(io_, [&] {
    gate_.Submit(MakeJobSpec(ipc::Algorithm::kFast, 10), "flow", [](JobResult&&) {});
    gate_.Notify([&] {
      on_pool_thread = pool_io_.get_executor().running_in_this_thread();
      pool_.Record("drained");
    });
  });
  RunBoth(io_, pool_io_);
  EXPECT_EQ(pool_.events(), (std::vector<std::string>{"submit 10", "drained"}));
  EXPECT_TRUE(on_pool_thread);
}

TEST_F(PoolGateTest, ANoticeReachesThePoolBetweenTheCallsMadeBeforeAndAfterIt) {
  // Three handlers of the gate's loop in one turn, none of whose calls has
  // been sent yet when the next one runs.
  asio::post(io_, [&] {
    gate_.Submit(MakeJobSpec(ipc::Algorithm::kFast, 1), "flow", [](JobResult&&) {});
  });
  asio::post(io_, [&] { gate_.Notify([&] { pool_.Record("drained"); }); });
  asio::post(io_, [&] {
    gate_.Submit(MakeJobSpec(ipc::Algorithm::kFast, 2), "flow", [](JobResult&&) {});
  });
  RunBoth(io_, pool_io_);
  EXPECT_EQ(pool_.events(), (std::vector<std::string>{"submit 1", "drained", "submit 2"}));
}

TEST_F(PoolGateTest, AnAbandonThatFollowsItsAnswerOutOfThePoolReachesNothing) {
  std::vector<std::string> answers;
  std::uint64_t gate_id = 0;
  asio::post(io_, [&] {
    gate_id = gate_.Submit(MakeJobSpec(ipc::Algorithm::kFast, 10), "flow",
                            [&](JobResult&& r) { answers.push_back(r.payload.text); });
  });
  RunBoth(io_, pool_io_);
  ASSERT_EQ(pool_.waiting().size(), 1u);
  // The pool answers; the answer leaves the pool's loop for the gate's.
  asio::post(pool_io_, [&] { ASSERT_TRUE(pool_.Answer(pool_.waiting().front(), Text("55"))); });
  pool_io_.restart();
  pool_io_.poll();
  ASSERT_TRUE(answers.empty()) << "the answer is on its way, not yet delivered";
  // The connection goes away now: its abandon follows the answer.
  asio::post(io_, [&] { gate_.Abandon(gate_id); });
  RunBoth(io_, pool_io_);
  EXPECT_EQ(answers, std::vector<std::string>{"55"});  // delivered once; the connection drops it
  EXPECT_EQ(pool_.events(), std::vector<std::string>{"submit 10"});  // no abandon reached the pool
}

TEST_F(PoolGateTest, AnAbandonBeforeTheAnswerReachesThePoolsJobAndNoAnswerComes) {
  int answers = 0;
  asio::post(io_, [&] {
    const std::uint64_t id = gate_.Submit(MakeJobSpec(ipc::Algorithm::kFast, 10), "flow",
                                           [&](JobResult&&) { ++answers; });
    gate_.Abandon(id);
  });
  RunBoth(io_, pool_io_);
  EXPECT_EQ(pool_.events(), (std::vector<std::string>{"submit 10", "abandon 1"}));
  EXPECT_TRUE(pool_.waiting().empty());
  EXPECT_EQ(answers, 0);
}

TEST_F(PoolGateTest, ARefusalComesBackThroughTheCallbackOnTheGatesLoopNeverInsideSubmit) {
  pool_.RefuseWith(Refusal{AnswerError::kBusy, "the backlog is full; try again later"},
                   pool_io_.get_executor());
  std::optional<JobResult> answer;
  bool on_gate_thread = false;
  bool answered_inside_submit = false;
  asio::post(io_, [&] {
    const auto id = gate_.Submit(
        MakeJobSpec(ipc::Algorithm::kFast, 10), "flow",
        [&](JobResult&& r) {
          on_gate_thread = io_.get_executor().running_in_this_thread();
          answer = std::move(r);
        });
    EXPECT_NE(id, 0u) << "the gate takes every job";
    answered_inside_submit = answer.has_value();
  });
  RunBoth(io_, pool_io_);
  EXPECT_FALSE(answered_inside_submit);
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->error, AnswerError::kBusy);
  EXPECT_EQ(answer->payload.text, "the backlog is full; try again later");
  EXPECT_TRUE(on_gate_thread);
  EXPECT_EQ(pool_.events(), std::vector<std::string>{"refused 10"});
}

// Whether this process maps the shared-memory segment `name` now.
bool Mapped(const std::string& name) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    if (line.find("/dev/shm/" + name) != std::string::npos) return true;
  }
  return false;
}

TEST_F(PoolGateTest, ALargeResultNobodyTakesIsUnmappedBeforeItsRoomIsReleased) {
  const std::string name = testing::TestSegmentName("pool_gate.buffer");
  // The budget's owner has no executor: the lease releases where it is
  // dropped, so that the release sees what is still mapped at that moment.
  auto owner = std::make_shared<ResultLease::Owner>();
  bool released = false;
  bool mapped_at_release = false;
  owner->on_release = [&] {
    released = true;
    mapped_at_release = Mapped(name);
  };
  asio::post(io_, [&] {
    // The connection is gone: its callback takes nothing from the result.
    gate_.Submit(MakeJobSpec(ipc::Algorithm::kFast, 1'000'000), "flow", [](JobResult&&) {});
  });
  RunBoth(io_, pool_io_);
  ASSERT_EQ(pool_.waiting().size(), 1u);
  asio::post(pool_io_, [&] {
    JobResult result;
    auto buffer = os::SharedSegment::Create(name, 1 << 16);
    ASSERT_TRUE(buffer) << buffer.error().message();
    result.payload.buffer = std::move(*buffer);
    result.payload.buffer_length = 1 << 16;
    result.payload.lease = ResultLease(owner, ResultRoute::kBuffer, 1 << 16);
    result.payload.lease.Arrived();
    ASSERT_TRUE(Mapped(name));
    ASSERT_TRUE(pool_.Answer(pool_.waiting().front(), std::move(result)));
  });
  RunBoth(io_, pool_io_);
  EXPECT_TRUE(released);
  EXPECT_FALSE(mapped_at_release) << "the room was released while the digits were still mapped";
  EXPECT_EQ(owner->budget.held_bytes(), 0u);
}

TEST(PoolGateThreads, EveryJobNotAbandonedIsAnsweredOnceAndTheNoticeFollowsEveryCall) {
  asio::io_context pool_io;
  asio::io_context io;
  auto pool_work = asio::make_work_guard(pool_io);
  auto io_work = asio::make_work_guard(io);
  FakePool pool;
  pool.AnswerEachJobOn(pool_io.get_executor());
  PoolGate gate(&pool, pool_io.get_executor(), io.get_executor());
  std::thread pool_thread([&] { pool_io.run(); });
  std::thread io_thread([&] { io.run(); });

  // The gate's thread submits in turns; every seventh job is abandoned a
  // turn later, racing its answer.
  constexpr int kTurns = 40;
  constexpr int kJobsPerTurn = 50;
  constexpr int kJobs = kTurns * kJobsPerTurn;
  const auto abandons = [](int job) { return job % 7 == 0; };
  std::vector<int> answers(kJobs, 0);  // by job; the gate's thread only
  std::atomic<int> kept_answered{0};
  std::atomic<int> submits_at_notice{-1};
  for (int turn = 0; turn < kTurns; ++turn) {
    asio::post(io, [&, turn] {
      std::vector<std::uint64_t> to_abandon;
      for (int i = 0; i < kJobsPerTurn; ++i) {
        const int job = turn * kJobsPerTurn + i;
        const std::uint64_t id = gate.Submit(
            MakeJobSpec(ipc::Algorithm::kFast, 1), "flow",
            [&, job](JobResult&&) {
              ++answers[job];
              if (!abandons(job)) ++kept_answered;
            });
        if (abandons(job)) to_abandon.push_back(id);
      }
      asio::post(io, [&gate, to_abandon] {
        for (const std::uint64_t id : to_abandon) gate.Abandon(id);
      });
    });
  }
  asio::post(io, [&] {
    gate.Notify([&] {
      int submits = 0;
      for (const std::string& e : pool.events()) submits += e.starts_with("submit");
      submits_at_notice = submits;
    });
  });
  const int kept = kJobs - (kJobs + 6) / 7;
  EXPECT_TRUE(testing::WaitFor(
      [&] { return kept_answered == kept && submits_at_notice >= 0; }, std::chrono::seconds(30)))
      << kept_answered << " of " << kept << " answered";
  pool_work.reset();
  pool_thread.join();
  io_work.reset();
  io_thread.join();
  EXPECT_EQ(submits_at_notice, kJobs);
  for (int job = 0; job < kJobs; ++job) {
    if (abandons(job)) {
      EXPECT_LE(answers[job], 1) << "job " << job;
    } else {
      EXPECT_EQ(answers[job], 1) << "job " << job;
    }
  }
}

}  // namespace
}  // namespace fibpool::supervisor
