#include "supervisor/connection.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "supervisor/cost_model.h"

namespace fibpool::supervisor {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {
constexpr std::size_t kMaxAnswersPerWrite = 256;
constexpr std::chrono::seconds kLinger{1};

// Logs `what` at debug, at most once per kLogInterval.
void LogClose(RateLimitedLog* limit, std::string_view what) {
  std::uint64_t suppressed = 0;
  if (limit && spdlog::should_log(spdlog::level::debug) &&
      limit->Admit(std::chrono::steady_clock::now(), &suppressed)) {
    spdlog::debug("event=connection_closed reason={} suppressed={}", what, suppressed);
  }
}

std::string HttpDetail(std::string_view detail, int metrics_port) {
  std::string out(detail);
  if (metrics_port >= 0) {
    out += "; /metrics and /healthz are served on port " + std::to_string(metrics_port);
  } else {
    out += "; start fibpool with --metrics-port for /metrics and /healthz";
  }
  return out;
}
}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, const ConnectionEnv& env)
    : socket_(std::move(socket)),
      flow_(FlowKeyOf(socket_)),
      env_(env),
      lines_(env.max_line),
      idle_timer_(socket_.get_executor()),
      pause_timer_(socket_.get_executor()),
      last_activity_(std::chrono::steady_clock::now()) {}

void Connection::Start() {
  ++env_.metrics->connections_open;
  ++env_.metrics->connections_total;
  error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  ArmIdleTimer();
  Read();
}

bool Connection::MayTakeMore() const {
  if (responses_.empty()) return true;
  return responses_.size() < env_.max_inflight && held_bytes_ < env_.max_output_bytes;
}

void Connection::ArmIdleTimer() {
  idle_timer_.expires_at(last_activity_ + env_.idle_timeout);
  idle_timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (ec || self->closed_ || self->lingering_) return;
    const bool busy = !self->responses_.empty() || self->writing_now_;
    if (!busy &&
        std::chrono::steady_clock::now() >= self->last_activity_ + self->env_.idle_timeout) {
      ++self->env_.metrics->connections_idle_closed;
      LogClose(self->env_.idle_close_log, "idle");
      self->CloseGracefully();
      return;
    }
    if (busy) self->last_activity_ = std::chrono::steady_clock::now();
    self->ArmIdleTimer();
  });
}

void Connection::Drain() {
  draining_ = true;
  MaybeFinish();
}

void Connection::Read() {
  if (reading_ || closed_) return;
  if (!lingering_ && (read_closed_ || !MayTakeMore())) return;  // resumed by Write()
  reading_ = true;
  socket_.async_read_some(asio::buffer(read_buffer_),
                          [self = shared_from_this()](const error_code& ec, std::size_t n) {
                            self->reading_ = false;
                            if (self->closed_) return;
                            if (self->lingering_) {
                              if (ec) {
                                self->Close();
                              } else {
                                self->Read();
                              }
                              return;
                            }
                            if (ec == asio::error::eof) {
                              self->read_closed_ = true;
                              // A last line without LF is still a request.
                              self->lines_.Append("\n");
                              self->ProcessLines();
                              self->MaybeFinish();
                              return;
                            }
                            if (ec) {
                              self->Close();
                              return;
                            }
                            self->OnRead(n);
                          });
}

void Connection::OnRead(std::size_t n) {
  const std::string_view bytes(read_buffer_.data(), n);
  env_.metrics->bytes_in += n;
  last_activity_ = std::chrono::steady_clock::now();
  boundary_.Saw(bytes, lines_.buffered());
  CancelPause();  // more bytes: a pause starts again from them
  lines_.Append(bytes);
  ProcessLines();
  Read();
}

void Connection::ProcessLines() {
  std::string_view line;
  while (!closed_ && !parse_closed_ && MayTakeMore()) {
    const auto status = lines_.Next(&line);
    if (status == LineBuffer::Status::kNeedMore) {
      EndUnterminated();
      break;
    }
    if (status == LineBuffer::Status::kTooLong) {
      ++env_.metrics->requests;
      env_.metrics->CountError(ErrorCode::kLineTooLong);
      PushReady(ErrorLine(ErrorCode::kLineTooLong,
                          "line longer than " + std::to_string(env_.max_line) + " bytes"));
      LogClose(env_.line_too_long_log, "line_too_long");
      StopParsing();
      break;
    }
    Handle(line);
  }
  Write();
}

void Connection::EndUnterminated() {
  // A line connection (the common case) pays nothing here.
  if (boundary_.mode() == RequestBoundary::Mode::kLine || read_closed_ || lines_.buffered() == 0)
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
        if (ec || generation != self->pause_generation_ || self->closed_) return;
        self->pause_armed_ = false;
        if (self->lingering_ || self->parse_closed_ || self->read_closed_ || !self->MayTakeMore())
          return;
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

void Connection::StopParsing() { parse_closed_ = read_closed_ = true; }

void Connection::Handle(std::string_view line) {
  Request request = ParseRequest(line, env_.limits);
  if (request.kind == Request::Kind::kEmpty) return;
  ++env_.metrics->requests;
  switch (request.kind) {
    case Request::Kind::kEmpty:
      return;
    case Request::Kind::kPing:
      return PushReady("pong\n");
    case Request::Kind::kHelp:
      return PushReady(std::string(HelpText()) + "\n");
    case Request::Kind::kStats:
      return PushReady(env_.stats() + "\n");
    case Request::Kind::kQuit:
      StopParsing();
      return PushReady("bye\n");
    case Request::Kind::kInvalid:
      env_.metrics->CountError(request.error);
      return PushReady(ErrorLine(request.error, request.detail));
    case Request::Kind::kHttp:
      // The rest of the HTTP request would be answered line by line with
      // ERR; one explanation, then the connection closes.
      env_.metrics->CountError(request.error);
      StopParsing();
      return PushReady(ErrorLine(request.error, HttpDetail(request.detail, env_.metrics_port)));
    case Request::Kind::kCompute:
      break;
  }
  const std::uint64_t seq = first_seq_ + responses_.size();
  responses_.emplace_back();
  responses_.back().held_bytes = EstimatedAnswerBytes(request.algorithm, request.n);
  held_bytes_ += responses_.back().held_bytes;
  Refusal refusal;
  std::weak_ptr<Connection> weak = weak_from_this();
  const auto id = env_.executor->Submit(
      request.algorithm, request.n, flow_,
      [weak, seq](JobResult&& result) {
        if (auto self = weak.lock()) self->Complete(seq, std::move(result));
      },
      &refusal);
  if (id) {
    responses_.back().job_id = *id;
  } else {
    env_.metrics->CountError(refusal.code);
    Response& r = responses_.back();
    r.ready = true;
    r.text = ErrorLine(refusal.code, refusal.detail);
  }
}

void Connection::PushReady(std::string text) {
  Response r;
  r.ready = true;
  r.text = std::move(text);
  r.held_bytes = r.text.size();
  held_bytes_ += r.held_bytes;
  responses_.push_back(std::move(r));
}

void Connection::Complete(std::uint64_t seq, JobResult&& result) {
  if (closed_ || seq < first_seq_ || seq - first_seq_ >= responses_.size()) return;
  Response& r = responses_[seq - first_seq_];
  r.ready = true;
  r.job_id = 0;
  if (result.error) {
    env_.metrics->CountError(*result.error);
    r.text = ErrorLine(*result.error, result.text);
  } else {
    ++env_.metrics->results;
    r.buffer = std::move(result.buffer);
    r.buffer_length = result.buffer_length;
    r.text = r.buffer.empty() ? std::move(result.text) + "\n" : "\n";
  }
  held_bytes_ -= r.held_bytes;
  r.held_bytes = r.text.size() + r.buffer_length;
  held_bytes_ += r.held_bytes;
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
  if (writing_now_ || closed_) return;
  std::vector<asio::const_buffer> buffers;
  while (!responses_.empty() && responses_.front().ready && writing_.size() < kMaxAnswersPerWrite) {
    writing_.push_back(std::move(responses_.front()));
    responses_.pop_front();
    ++first_seq_;
  }
  if (writing_.empty()) {
    MaybeFinish();
    return;
  }
  for (const Response& r : writing_) {
    if (!r.buffer.empty()) buffers.emplace_back(r.buffer.data(), r.buffer_length);
    buffers.emplace_back(r.text.data(), r.text.size());
  }
  writing_now_ = true;
  asio::async_write(socket_, buffers,
                    [self = shared_from_this()](const error_code& ec, std::size_t n) {
                      self->writing_now_ = false;
                      self->env_.metrics->bytes_out += n;
                      self->last_activity_ = std::chrono::steady_clock::now();
                      for (const Response& r : self->writing_) self->held_bytes_ -= r.held_bytes;
                      self->writing_.clear();
                      if (ec) {
                        self->Close();
                        return;
                      }
                      self->ProcessLines();  // lines held back by max_inflight
                      self->Read();
                    });
}

void Connection::MaybeFinish() {
  if (closed_ || lingering_ || writing_now_ || !responses_.empty()) return;
  if (read_closed_ || draining_) CloseGracefully();
}

void Connection::CloseGracefully() {
  lingering_ = true;
  ReleaseSlot();
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
  if (closed_) return;
  closed_ = true;
  for (const Response& r : responses_) {
    if (r.job_id != 0) env_.executor->Abandon(r.job_id);
  }
  responses_.clear();
  held_bytes_ = 0;
  error_code ignored;
  idle_timer_.cancel();
  CancelPause();
  socket_.close(ignored);
  ReleaseSlot();
  env_.on_closed(shared_from_this());
}

void Connection::ReleaseSlot() {
  if (slot_released_) return;
  slot_released_ = true;
  --env_.metrics->connections_open;
}

}  // namespace fibpool::supervisor
