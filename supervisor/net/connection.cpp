#include "supervisor/net/connection.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "supervisor/net/connection_manager.h"
#include "supervisor/protocol/command_answer.h"
#include "supervisor/protocol/duration_text.h"
#include "supervisor/protocol/proxy_header.h"
#include "supervisor/sched/cost_model.h"

namespace fibpool::supervisor {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {
// Answers in one gather write (connection.h).
constexpr std::size_t kMaxAnswersPerWrite = 256;
constexpr std::chrono::seconds kLinger{1};
}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, const ConnectionEnv& env, ClientSlot client)
    : socket_(std::move(socket)),
      flow_(FlowKeyOf(socket_)),
      env_(env),
      client_(std::move(client)),
      awaiting_proxy_header_(env.proxy_protocol),
      lines_(env.max_line),
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
  client_.SetIdle(!awaiting_proxy_header_);
  ArmIdleTimer();
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

std::chrono::steady_clock::duration Connection::IdleLimit() const {
  if (!awaiting_proxy_header_) return env_.idle_timeout;
  return std::min<std::chrono::steady_clock::duration>(env_.idle_timeout, kProxyHeaderTimeout);
}

void Connection::ArmIdleTimer() {
  idle_timer_.expires_at(last_activity_ + IdleLimit());
  idle_timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (ec || !IsAnswering(self->state_)) return;
    if (self->awaiting_proxy_header_) {
      // last_activity_ is the connection's start until the header is read.
      if (std::chrono::steady_clock::now() < self->last_activity_ + self->IdleLimit()) {
        return self->ArmIdleTimer();
      }
      const auto limit = std::chrono::duration_cast<std::chrono::milliseconds>(self->IdleLimit());
      return self->RefuseWithoutProxyHeader("no PROXY protocol header within " + LimitText(limit));
    }
    const bool busy = !self->answers_.empty() || self->write_in_flight_;
    if (!busy &&
        std::chrono::steady_clock::now() >= self->last_activity_ + self->env_.idle_timeout) {
      ++self->env_.metrics->connections_idle_closed;
      self->env_.log->IdleClosed(self->flow_);
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
  if (ec == asio::error::eof && awaiting_proxy_header_) {
    return RefuseWithoutProxyHeader(proxy_header_bytes_.empty()
                                        ? "missing PROXY protocol header"
                                        : "incomplete PROXY protocol header");
  }
  if (ec == asio::error::eof) {
    Enter(ConnectionEvent::kEndOfInput);
    lines_.Append("\n");  // a last line without LF is still a request
    ProcessLines();
    return MaybeFinish();
  }
  if (ec) return Close();
  std::string_view bytes(read_buffer_.data(), n);
  env_.metrics->bytes_in += n;
  std::optional<std::string> after_header;
  if (awaiting_proxy_header_) {
    after_header = TakeProxyHeader(bytes);
    if (!after_header) return Read();  // reads nothing once refused
    bytes = *after_header;
  }
  last_activity_ = std::chrono::steady_clock::now();
  boundary_.Saw(bytes, lines_.buffered());
  CancelPause();  // more bytes: a pause starts again from them
  lines_.Append(bytes);
  ProcessLines();
  Read();
}

std::optional<std::string> Connection::TakeProxyHeader(std::string_view bytes) {
  proxy_header_bytes_.append(bytes);
  const ProxyHeader header = ParseProxyHeader(proxy_header_bytes_);
  switch (header.status) {
    case ProxyHeader::Status::kNeedMore:
      return std::nullopt;
    case ProxyHeader::Status::kInvalid:
      RefuseWithoutProxyHeader(header.error);
      return std::nullopt;
    case ProxyHeader::Status::kComplete:
      break;
  }
  awaiting_proxy_header_ = false;
  if (header.source) flow_ = FlowKeyOf(*header.source);
  std::string rest = proxy_header_bytes_.substr(header.length);
  std::string().swap(proxy_header_bytes_);
  if (client_.Claim(flow_)) return rest;
  answers_.PushReady(ErrorLine(AnswerError::kBusy, BusyDetail(BusyReason::kConnectionsPerClient)));
  StopParsing();
  Write();
  return std::nullopt;
}

void Connection::RefuseWithoutProxyHeader(std::string_view why) {
  awaiting_proxy_header_ = false;
  std::string().swap(proxy_header_bytes_);
  // A refused connection, like one over max_connections, is not a request.
  ++env_.metrics->connections_proxy_refused;
  env_.log->ProxyRefused(flow_, why);
  answers_.PushReady(ErrorLine(AnswerError::kBadRequest, why));
  StopParsing();
  Write();
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
      ++env_.metrics->requests;
      env_.metrics->CountError(AnswerError::kLineTooLong);
      answers_.PushReady(ErrorLine(AnswerError::kLineTooLong,
                                   "line longer than " + std::to_string(env_.max_line) + " bytes"));
      env_.log->LineTooLong(flow_);
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
  if (state_ != ConnectionState::kOpen || awaiting_proxy_header_ || !answers_.empty() ||
      write_in_flight_ || lines_.buffered() > 0)
    return;
  ++env_.metrics->connections_evicted;  // logged by ClientConnections
  CloseGracefully();
}

void Connection::Handle(std::string_view line) {
  if (!env_.log->access().on()) return HandleRequest(line);
  const auto [seq, received] = std::pair(answers_.next_seq(), std::chrono::steady_clock::now());
  HandleRequest(line);
  if (answers_.next_seq() != seq && env_.log->access().Sample()) answers_.Note(seq, line, received);
}

void Connection::HandleRequest(std::string_view line) {
  Request request = ParseRequest(line, env_.limits);
  if (request.kind == Request::Kind::kEmpty) return;
  ++env_.metrics->requests;
  if (request.kind == Request::Kind::kStats) return AskStats();
  if (request.kind != Request::Kind::kCompute) {
    CommandAnswer answer = AnswerCommand(request, env_.metrics_port);
    if (answer.error) {
      env_.metrics->CountError(*answer.error);
      env_.log->Error(*answer.error, flow_, request.detail);
    }
    if (answer.last) StopParsing();
    return answers_.PushReady(std::move(answer.line));
  }
  const std::uint64_t seq = answers_.Expect(EstimatedAnswerBytes(request.algorithm, request.n));
  Refusal refusal;
  std::weak_ptr<Connection> weak = weak_from_this();
  const auto id = env_.executor->Submit(
      request.algorithm, request.n, flow_,
      [weak, seq](JobResult&& result) {
        if (auto self = weak.lock()) self->Complete(seq, std::move(result));
      },
      &refusal);
  if (id) return answers_.SetJob(seq, *id);
  env_.metrics->CountError(refusal.code);
  env_.log->Error(refusal.code, flow_, refusal.detail);
  answers_.Fill(seq, ErrorLine(refusal.code, refusal.detail));
}

void Connection::AskStats() {
  if (!env_.stats_executor) return answers_.PushReady(env_.stats() + "\n");
  const std::uint64_t seq = answers_.Expect(0);
  asio::post(env_.stats_executor,
             [stats = &env_.stats, weak = weak_from_this(), seq, home = socket_.get_executor()] {
               asio::post(home, [weak, seq, line = (*stats)()]() mutable {
                 if (auto self = weak.lock()) self->AnswerStats(seq, std::move(line));
               });
             });
}

void Connection::AnswerStats(std::uint64_t seq, std::string line) {
  if (state_ == ConnectionState::kClosed || !answers_.Waits(seq)) return;
  answers_.Fill(seq, std::move(line) + "\n");
  WriteSoon();
}

void Connection::Complete(std::uint64_t seq, JobResult&& result) {
  if (state_ == ConnectionState::kClosed || !answers_.Waits(seq)) {
    result.buffer = {};  // unmapped before its lease releases the room
    return;
  }
  if (result.error) {
    env_.metrics->CountError(*result.error);
    env_.log->Error(*result.error, flow_, result.text);
    answers_.Fill(seq, ErrorLine(*result.error, result.text));
  } else {
    ++env_.metrics->results;
    std::string text = result.buffer.empty() ? std::move(result.text) + "\n" : "\n";
    answers_.Fill(seq, std::move(text), std::move(result.buffer), result.buffer_length,
                  std::move(result.lease));
  }
  WriteSoon();
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
    if (!a.buffer.empty()) buffers.emplace_back(a.buffer.data(), a.buffer_length);
    buffers.emplace_back(a.text.data(), a.text.size());
  }
  write_in_flight_ = true;
  asio::async_write(socket_, buffers,
                    [self = shared_from_this()](const error_code& ec, std::size_t n) {
                      self->write_in_flight_ = false;
                      self->env_.metrics->bytes_out += n;
                      self->last_activity_ = std::chrono::steady_clock::now();
                      if (!ec) self->env_.log->Written(self->flow_, self->answers_.writing());
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
