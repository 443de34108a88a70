#include "supervisor/net/answer_queue.h"

namespace fibpool::supervisor {

void AnswerQueue::PushReady(std::string text) {
  Answer a;
  a.ready = true;
  a.payload.text = std::move(text);
  a.held_bytes = a.payload.size();
  held_bytes_ += a.held_bytes;
  answers_.push_back(std::move(a));
}

std::uint64_t AnswerQueue::Expect(std::uint64_t estimated_bytes) {
  answers_.emplace_back();
  answers_.back().held_bytes = estimated_bytes;
  held_bytes_ += estimated_bytes;
  return first_seq_ + answers_.size() - 1;
}

AnswerQueue::Answer* AnswerQueue::Find(std::uint64_t seq) {
  if (seq < first_seq_ || seq - first_seq_ >= answers_.size()) return nullptr;
  return &answers_[seq - first_seq_];
}

void AnswerQueue::SetJob(std::uint64_t seq, std::uint64_t job_id) {
  if (Answer* a = Find(seq)) a->job_id = job_id;
}

void AnswerQueue::Note(std::uint64_t seq, std::string_view request,
                       std::chrono::steady_clock::time_point received) {
  if (Answer* a = Find(seq)) {
    a->request = std::string(request);
    a->received = received;
  }
}

bool AnswerQueue::Waits(std::uint64_t seq) const {
  return seq >= first_seq_ && seq - first_seq_ < answers_.size() &&
         !answers_[seq - first_seq_].ready;
}

void AnswerQueue::Fill(std::uint64_t seq, AnswerPayload payload) {
  Answer* a = Find(seq);
  if (a == nullptr) return;
  a->ready = true;
  a->job_id = 0;
  a->payload = std::move(payload);
  held_bytes_ -= a->held_bytes;
  a->held_bytes = a->payload.size();
  held_bytes_ += a->held_bytes;
}

std::size_t AnswerQueue::TakeReady(std::size_t max) {
  while (!answers_.empty() && answers_.front().ready && writing_.size() < max) {
    writing_.push_back(std::move(answers_.front()));
    answers_.pop_front();
    ++first_seq_;
  }
  return writing_.size();
}

void AnswerQueue::Written() {
  for (const Answer& a : writing_) held_bytes_ -= a.held_bytes;
  writing_.clear();
}

std::vector<std::uint64_t> AnswerQueue::Clear() {
  std::vector<std::uint64_t> jobs;
  for (const Answer& a : answers_) {
    if (a.job_id != 0) jobs.push_back(a.job_id);
    held_bytes_ -= a.held_bytes;
  }
  first_seq_ += answers_.size();
  answers_.clear();
  return jobs;
}

}  // namespace fibpool::supervisor
