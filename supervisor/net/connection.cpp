#include "supervisor/net/connection.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "supervisor/net/connection_log.h"
#include "supervisor/net/connection_manager.h"
#include "supervisor/protocol/request_parser.h"

namespace fibpool::supervisor {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {
// Answers in one gather write (connection.h).
constexpr std::size_t kMaxAnswersPerWrite = 256;
}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, const ConnectionEnv& env, ClientSlot client,
                       std::string flow, std::string first_bytes)
    : socket_(std::move(socket)),
      env_(env),
      client_(std::move(client)),
      first_bytes_(std::move(first_bytes)),
      lines_(env.max_line),
      handler_(env, answers_, std::move(flow),
               [this](std::uint64_t seq) -> JobCallback {
                 return [weak = weak_from_this(), seq](JobResult&& result) {
                   if (auto self = weak.lock()) self->Complete(seq, std::move(result));
                 };
               }),
      idle_timer_(socket_.get_executor()),
      pause_timer_(socket_.get_executor()),
      last_activity_(std::chrono::steady_clock::now()) {}

void Connection::Start() {
  error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  client_.OnIdleClose([weak = weak_from_this(), home = socket_.get_executor()] {
    asio::post(home, [weak] {
      if (auto self = weak.lock()) self->CloseIfIdle();
    });
  });
  client_.SetIdle(first_bytes_.empty());
  ArmIdleTimer();
  if (!first_bytes_.empty()) Take(std::exchange(first_bytes_, {}));
  Read();
}

void Connection::Enter(ConnectionEvent event) {
  const ConnectionState before = state_;
  state_ = NextState(state_, event);
  if (!IsAnswering(before) || IsAnswering(state_)) return;
  env_.manager->ReleaseSlot();
  client_.Release();
}

bool Connection::MayTakeMore() const {
  if (answers_.empty()) return true;
  return answers_.size() < env_.max_inflight && answers_.held_bytes() < env_.max_output_bytes;
}

void Connection::ArmIdleTimer() {
  idle_timer_.expires_at(last_activity_ + env_.idle_timeout);
  idle_timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (ec || !IsAnswering(self->state_)) return;
    const bool busy = !self->answers_.empty() || self->write_in_flight_;
    if (!busy &&
        std::chrono::steady_clock::now() >= self->last_activity_ + self->env_.idle_timeout) {
      ++self->env_.metrics->connections_idle_closed;
      self->env_.log->IdleClosed(self->handler_.flow());
      self->CloseGracefully();
      return;
    }
    if (busy) self->last_activity_ = std::chrono::steady_clock::now();
    self->ArmIdleTimer();
  });
}

void Connection::Drain() {
  Enter(ConnectionEvent::kDrain);
  MaybeFinish();
}

void Connection::Read() {
  if (read_in_flight_) return;
  // Resumed by Write() when flow control held it back.
  const bool discard = state_ == ConnectionState::kLingering;
  if (!discard && !(ReadsRequests(state_) && MayTakeMore())) return;
  read_in_flight_ = true;
  socket_.async_read_some(asio::buffer(read_buffer_),
                          [self = shared_from_this()](const error_code& ec, std::size_t n) {
                            self->read_in_flight_ = false;
                            self->OnRead(ec, n);
                          });
}

void Connection::OnRead(const error_code& ec, std::size_t n) {
  if (state_ == ConnectionState::kClosed) return;
  if (state_ == ConnectionState::kLingering) {
    if (ec) return Close();
    return Read();
  }
  if (ec == asio::error::eof) {
    Enter(ConnectionEvent::kEndOfInput);
    lines_.Append("\n");  // a last line without LF is still a request
    ProcessLines();
    return MaybeFinish();
  }
  if (ec) return Close();
  env_.metrics->bytes_in += n;
  Take(std::string_view(read_buffer_.data(), n));
  Read();
}

void Connection::Take(std::string_view bytes) {
  last_activity_ = std::chrono::steady_clock::now();
  boundary_.Saw(bytes, lines_.buffered());
  CancelPause();  // more bytes: a pause starts again from them
  lines_.Append(bytes);
  ProcessLines();
}

void Connection::ProcessLines() {
  std::string_view line;
  while (ParsesLines(state_) && MayTakeMore()) {
    const auto status = lines_.Next(&line);
    if (status == LineBuffer::Status::kNeedMore) {
      EndUnterminated();
      break;
    }
    if (status == LineBuffer::Status::kTooLong) {
      handler_.LineTooLong();
      StopParsing();
      break;
    }
    Handle(line);
  }
  Write();
}

void Connection::EndUnterminated() {
  // A line connection (the common case) pays nothing here.
  if (boundary_.mode() == RequestBoundary::Mode::kLine || !ReadsRequests(state_) ||
      lines_.buffered() == 0)
    return;
  error_code ec;
  if (socket_.available(ec) > 0 || ec) return;  // the next read decides
  switch (boundary_.Decide(ParseRequest(lines_.Unterminated(), env_.limits))) {
    case RequestBoundary::Action::kWaitForMore:
      return;
    case RequestBoundary::Action::kAnswerNow:
      return AnswerUnterminated();
    case RequestBoundary::Action::kAnswerAfterPause:
      return ArmPause();
  }
}

void Connection::AnswerUnterminated() {
  const std::string_view request = lines_.Unterminated();  // valid until the next Append
  lines_.SkipUnterminated();
  boundary_.Answered();
  Handle(request);
}

void Connection::ArmPause() {
  if (pause_armed_) return;
  pause_armed_ = true;
  // Acknowledge the bytes now, not after the delayed-ACK timer: a client
  // whose Nagle algorithm holds back the rest of its line sends it at once.
  const int one = 1;
  ::setsockopt(socket_.native_handle(), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
  pause_timer_.expires_after(kFirstRequestPause);
  pause_timer_.async_wait(
      [self = shared_from_this(), generation = pause_generation_](const error_code& ec) {
        if (ec || generation != self->pause_generation_) return;
        self->pause_armed_ = false;
        if (!ReadsRequests(self->state_) || !self->MayTakeMore()) return;
        error_code e;
        if (self->socket_.available(e) > 0 || e) return;  // the pending read decides
        self->AnswerUnterminated();
        self->Write();
      });
}

void Connection::CancelPause() {
  if (!pause_armed_) return;
  pause_armed_ = false;
  ++pause_generation_;
  pause_timer_.cancel();
}

void Connection::StopParsing() { Enter(ConnectionEvent::kStopInput); }

void Connection::CloseIfIdle() {
  if (state_ != ConnectionState::kOpen || !answers_.empty() ||
      write_in_flight_ || lines_.buffered() > 0)
    return;
  ++env_.metrics->connections_evicted;  // logged by ClientConnections
  CloseGracefully();
}

void Connection::Handle(std::string_view line) {
  switch (handler_.Handle(line)) {
    case RequestHandler::Next::kRead:
      return;
    case RequestHandler::Next::kStop:
      return StopParsing();
    case RequestHandler::Next::kAskStats:
      return AskStats(handler_.stats_seq());
  }
}

void Connection::AskStats(std::uint64_t seq) {
  asio::post(env_.stats_executor,
             [stats = &env_.stats, weak = weak_from_this(), seq, home = socket_.get_executor()] {
               asio::post(home, [weak, seq, line = (*stats)()]() mutable {
                 if (auto self = weak.lock()) self->AnswerStats(seq, std::move(line));
               });
             });
}

void Connection::AnswerStats(std::uint64_t seq, std::string line) {
  if (state_ == ConnectionState::kClosed || !answers_.Waits(seq)) return;
  answers_.Fill(seq, AnswerPayload(std::move(line) + "\n"));
  WriteSoon();
}

void Connection::Complete(std::uint64_t seq, JobResult&& result) {
  if (state_ != ConnectionState::kClosed && handler_.Complete(seq, std::move(result))) WriteSoon();
}

void Connection::WriteSoon() {
  if (write_posted_) return;
  write_posted_ = true;
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->write_posted_ = false;
    self->Write();
  });
}

void Connection::Write() {
  if (write_in_flight_ || state_ == ConnectionState::kClosed) return;
  client_.SetIdle(answers_.empty() && lines_.buffered() == 0 && state_ == ConnectionState::kOpen);
  if (answers_.TakeReady(kMaxAnswersPerWrite) == 0) return MaybeFinish();
  std::vector<asio::const_buffer> buffers;
  for (const AnswerQueue::Answer& a : answers_.writing()) {
    const AnswerPayload& p = a.payload;
    if (!p.buffer.empty()) buffers.emplace_back(p.buffer.data(), p.buffer_length);
    buffers.emplace_back(p.text.data(), p.text.size());
  }
  write_in_flight_ = true;
  asio::async_write(socket_, buffers,
                    [self = shared_from_this()](const error_code& ec, std::size_t n) {
                      self->write_in_flight_ = false;
                      self->env_.metrics->bytes_out += n;
                      self->last_activity_ = std::chrono::steady_clock::now();
                      if (!ec) self->env_.log->Written(self->handler_.flow(), self->answers_.writing());
                      self->answers_.Written();
                      if (ec) {
                        self->Close();
                        return;
                      }
                      self->ProcessLines();  // lines held back by max_inflight
                      self->Read();
                    });
}

void Connection::MaybeFinish() {
  if (FinishesWhenAnswered(state_) && !write_in_flight_ && answers_.empty()) CloseGracefully();
}

void Connection::CloseGracefully() {
  Enter(ConnectionEvent::kLinger);
  CancelPause();
  error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  idle_timer_.cancel();
  idle_timer_.expires_after(kLinger);
  idle_timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (!ec) self->Close();
  });
  Read();
}

void Connection::Close() {
  if (state_ == ConnectionState::kClosed) return;
  Enter(ConnectionEvent::kClose);
  for (const std::uint64_t job : answers_.Clear()) env_.executor->Abandon(job);
  error_code ignored;
  idle_timer_.cancel();
  CancelPause();
  socket_.close(ignored);
  env_.manager->Stop(shared_from_this());
}

}  // namespace fibpool::supervisor
