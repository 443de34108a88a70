#include "supervisor/net/pool_gate.h"

#include <boost/asio/post.hpp>

namespace fibpool::supervisor {

namespace asio = boost::asio;

PoolGate::PoolGate(JobExecutor* pool, asio::any_io_executor pool_executor,
                   asio::any_io_executor own_executor)
    : pool_(pool),
      pool_executor_(std::move(pool_executor)),
      own_executor_(std::move(own_executor)) {}

std::uint64_t PoolGate::Submit(const JobSpec& spec, const std::string& flow,
                               JobCallback callback) {
  const std::uint64_t id = next_id_++;
  Queue(Call{Call::Kind::kSubmit, id, spec, flow, std::move(callback), {}});
  return id;
}

void PoolGate::Abandon(std::uint64_t job_id) {
  Call call;
  call.kind = Call::Kind::kAbandon;
  call.id = job_id;
  Queue(std::move(call));
}

void PoolGate::Notify(std::function<void()> notice) {
  Call call;
  call.kind = Call::Kind::kNotice;
  call.notice = std::move(notice);
  Queue(std::move(call));
}

void PoolGate::Queue(Call&& call) {
  if (calls_.empty()) asio::post(own_executor_, [this] { SendCalls(); });
  calls_.push_back(std::move(call));
}

void PoolGate::SendCalls() {
  asio::post(pool_executor_, [this, calls = std::exchange(calls_, {})]() mutable {
    for (Call& call : calls) Run(call);
  });
}

void PoolGate::Run(Call& call) {
  if (call.kind == Call::Kind::kNotice) {
    call.notice();
    return;
  }
  if (call.kind == Call::Kind::kAbandon) {
    const auto it = pool_ids_.find(call.id);
    if (it == pool_ids_.end()) return;  // answered already
    pool_->Abandon(it->second);
    pool_ids_.erase(it);
    return;
  }
  const std::uint64_t pool_id =
      pool_->Submit(call.spec, call.flow,
                    [this, id = call.id, callback = std::move(call.callback)](JobResult&& result) {
                      pool_ids_.erase(id);
                      Answer(callback, std::move(result));
                    });
  if (pool_id != 0) pool_ids_.emplace(call.id, pool_id);  // 0: refused, nothing to abandon
}

void PoolGate::Answer(JobCallback callback, JobResult&& result) {
  if (answers_.empty()) asio::post(pool_executor_, [this] { SendAnswers(); });
  answers_.emplace_back(std::move(callback), std::move(result));
}

void PoolGate::SendAnswers() {
  asio::post(own_executor_, [answers = std::exchange(answers_, {})]() mutable {
    for (auto& [callback, result] : answers) callback(std::move(result));
  });
}

}  // namespace fibpool::supervisor
